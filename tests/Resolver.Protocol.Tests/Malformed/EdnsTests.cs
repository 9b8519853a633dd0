using static Resolver.Protocol.Tests.Malformed.MalformedPacket;

namespace Resolver.Protocol.Tests.Malformed;

/// <summary>
/// OPT placement (RFC 6891 §6.1.1: one OPT, in the additional section, owned by the root) and
/// malformed known options (RFC 7871 §7.1.1, RFC 7873 §5.2.2 answer them with FORMERR).
/// </summary>
public class EdnsTests
{
    [Test]
    public void Opt_in_the_answer_section_is_rejected()
    {
        var packet = Concat(Header(questions: 1, answers: 1), QuestionATestA, Opt); // OPT at 24
        ParseRejects(packet, "OPT record outside the additional section", 24);
        QueryReaderRejects(packet, "OPT record outside the additional section", 24);
    }

    [Test]
    public void Opt_in_the_authority_section_is_rejected()
    {
        var packet = Concat(Header(questions: 1, authorities: 1), QuestionATestA, Opt);
        ParseRejects(packet, "OPT record outside the additional section", 24);
        QueryReaderRejects(packet, "OPT record outside the additional section", 24);
    }

    [Test]
    public void Two_opt_records_are_rejected()
    {
        var packet = Concat(Header(questions: 1, additionals: 2), QuestionATestA, Opt, Opt); // second OPT at 35
        ParseRejects(packet, "more than one OPT record", 35);
        QueryReaderRejects(packet, "more than one OPT record", 35);
    }

    [Test]
    public void Opt_with_a_non_root_owner_is_rejected()
    {
        var packet = Concat(
            Header(questions: 1, additionals: 1),
            QuestionATestA,
            [0xC0, 0x0C], // 24: owner a.test. instead of the root
            Opt[1..]);
        ParseRejects(packet, "OPT record owner is not the root", 24);
        QueryReaderRejects(packet, "OPT record owner is not the root", 24);
    }

    /// <summary>A query with an OPT at 24 holding one option: code at 35, length at 37, data at 39.</summary>
    private static byte[] QueryWithOption(ushort code, byte[] data)
    {
        int rdLength = 4 + data.Length;
        return Concat(
            Header(questions: 1, additionals: 1),
            QuestionATestA,
            [0x00, 0x00, 0x29, 0x04, 0xD0, 0x00, 0x00, 0x00, 0x00, (byte)(rdLength >> 8), (byte)rdLength], // 24: OPT
            [(byte)(code >> 8), (byte)code, (byte)(data.Length >> 8), (byte)data.Length], // 35: option code, length
            data); // 39
    }

    [Test]
    public void Client_subnet_with_more_address_octets_than_the_prefix_needs_is_rejected()
    {
        byte[] data =
        [
            0x00, 0x01, // FAMILY IPv4
            24, 0, // SOURCE /24, SCOPE /0
            192, 0, 2, 1, // 4 octets where /24 needs exactly 3
        ];
        ParseRejects(QueryWithOption(8, data), "client subnet address is 4 octets, prefix /24 needs 3", 43);
    }

    [Test]
    public void Client_subnet_with_fewer_address_octets_than_the_prefix_needs_is_rejected()
    {
        byte[] data = [0x00, 0x02, 64, 0, 0x20, 0x01, 0x0D, 0xB8]; // IPv6 /64 needs 8 octets, 4 given
        ParseRejects(QueryWithOption(8, data), "client subnet address is 4 octets, prefix /64 needs 8", 43);
    }

    [Test]
    public void Cookie_of_9_octets_is_rejected() =>
        ParseRejects(QueryWithOption(10, [1, 2, 3, 4, 5, 6, 7, 8, 9]), "cookie option of 9 octets (must be 8 or 16-40)", 39);

    [Test]
    public void Option_longer_than_the_opt_rdata_is_rejected()
    {
        var packet = QueryWithOption(10, [1, 2, 3, 4, 5, 6, 7, 8]);
        packet[38] = 9; // option length 9, but the OPT RDATA ends after 8 octets of data
        ParseRejects(packet, "EDNS option 10 runs past the end of the OPT RDATA", 35);
    }

    [Test]
    public void Well_formed_options_parse()
    {
        // Control for the cases above: the same framing with valid data is accepted.
        var message = DnsMessage.Parse(QueryWithOption(10, [1, 2, 3, 4, 5, 6, 7, 8]));
        Assert.That(message.Edns!.Options, Has.Count.EqualTo(1));
        Assert.That(message.Edns.Options[0].ToString(), Is.EqualTo("COOKIE: 0102030405060708"));
    }
}
