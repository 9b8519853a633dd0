using static Resolver.Protocol.Tests.Malformed.MalformedPacket;

namespace Resolver.Protocol.Tests.Malformed;

/// <summary>
/// RDLENGTH that disagrees with what the type holds (RFC 1035 §3.3, §3.4; RFC 3596 §2.2).
/// Each packet is "a.test." A? with one answer at 24 whose RDLENGTH sits at 34 and RDATA at 36,
/// followed by a valid additional A record, so a parser that reads past RDLENGTH finds data there.
/// </summary>
public class RecordDataLengthTests
{
    private static byte[] Response(ushort type, byte[] rdata) => Concat(
        Header(questions: 1, answers: 1, additionals: 1, flags: 0x8180),
        QuestionATestA, // 12..23
        [0xC0, 0x0C, (byte)(type >> 8), (byte)type, 0x00, 0x01, 0x00, 0x00, 0x0E, 0x10], // 24: owner, TYPE, IN, TTL
        [(byte)(rdata.Length >> 8), (byte)rdata.Length], // 34: RDLENGTH
        rdata, // 36
        AnswerA); // the additional record

    [Test]
    public void A_record_of_3_octets_is_rejected() =>
        ParseRejects(Response(1, [192, 0, 2]), "A RDATA must be 4 octets, not 3", 36);

    [Test]
    public void A_record_of_5_octets_is_rejected() =>
        ParseRejects(Response(1, [192, 0, 2, 1, 9]), "A RDATA must be 4 octets, not 5", 36);

    [Test]
    public void Aaaa_record_of_15_octets_is_rejected() =>
        ParseRejects(Response(28, new byte[15]), "AAAA RDATA must be 16 octets, not 15", 36);

    [Test]
    public void Mx_record_with_a_trailing_octet_is_rejected()
    {
        byte[] rdata =
        [
            0x00, 0x0A, // preference 10
            0xC0, 0x0C, // exchange: pointer to a.test.
            0x00, // one octet RDLENGTH counts but MX does not have
        ];
        ParseRejects(Response(15, rdata), "MX RDATA length 5 disagrees with its content (4 octets used)", 36);
    }

    [Test]
    public void Soa_record_missing_its_minimum_field_is_rejected()
    {
        byte[] rdata =
        [
            0xC0, 0x0C, // MNAME
            0xC0, 0x0C, // RNAME
            0x78, 0xA3, 0x5D, 0x65, // SERIAL 2024006501
            0x00, 0x00, 0x1C, 0x20, // REFRESH
            0x00, 0x00, 0x0E, 0x10, // RETRY
            0x00, 0x12, 0x75, 0x00, // EXPIRE; MINIMUM missing (RDLENGTH 20)
        ];
        ParseRejects(Response(6, rdata), "32-bit field runs past the end of the RDATA", 56);
    }

    [Test]
    public void Txt_string_running_past_the_rdata_is_rejected()
    {
        byte[] rdata = [0x0A, (byte)'h', (byte)'e', (byte)'l', (byte)'l']; // says 10 octets, 4 follow
        ParseRejects(Response(16, rdata), "character-string runs past the end of the RDATA", 37);
    }

    [Test]
    public void Txt_string_cannot_swallow_the_next_record()
    {
        // RDLENGTH 1 but the string's length octet claims the 16 octets of the next record.
        var packet = Concat(
            Header(questions: 1, answers: 2, flags: 0x8180),
            QuestionATestA,
            [0xC0, 0x0C, 0x00, 0x10, 0x00, 0x01, 0x00, 0x00, 0x0E, 0x10, 0x00, 0x01], // 24: TXT, RDLENGTH 1
            [0x10], // 36: string of 16 octets?
            AnswerA); // 37: a whole A record
        ParseRejects(packet, "character-string runs past the end of the RDATA", 37);
    }

    [Test]
    public void Name_in_rdata_running_past_rdlength_is_rejected()
    {
        // CNAME with RDLENGTH 3 whose name "www." needs 5 octets: the name must end inside the RDATA.
        var packet = Concat(
            Header(questions: 1, answers: 1, flags: 0x8180),
            QuestionATestA,
            [0xC0, 0x0C, 0x00, 0x05, 0x00, 0x01, 0x00, 0x00, 0x0E, 0x10, 0x00, 0x03], // 24: CNAME, RDLENGTH 3
            [0x03, (byte)'w', (byte)'w', (byte)'w', 0x00]); // 36: www. (5 octets)
        ParseRejects(packet, "label runs past the end of the message", 36);
    }

    [Test]
    public void Empty_txt_rdata_is_rejected() =>
        ParseRejects(Response(16, []), "TXT RDATA is empty", 36);
}
