using static Resolver.Protocol.Tests.Malformed.MalformedPacket;

namespace Resolver.Protocol.Tests.Malformed;

/// <summary>
/// Labels are at most 63 octets and names at most 255 (RFC 1035 §2.3.4); the label types
/// 0x40 and 0x80 (RFC 6891 §5 "extended label types") are not in use and must be refused.
/// </summary>
public class LabelAndNameLengthTests
{
    [Test]
    public void Label_length_64_is_an_unsupported_label_type()
    {
        var packet = Concat(
            Header(questions: 1),
            Label(64, 'x'), // 12: 0x40 = "label type 01", not a 64-octet label
            [0x00, 0x00, 0x01, 0x00, 0x01]);
        ParseRejects(packet, "label type 0x40 is not supported", 12);
        QueryReaderRejects(packet, "label type 0x40 is not supported", 12);
    }

    [Test]
    public void Label_type_0x80_is_rejected()
    {
        var packet = Concat(
            Header(questions: 1),
            [0x01, (byte)'a', 0x81, (byte)'b', 0x00], // 12: "a", 14: 0x81 (reserved label type)
            [0x00, 0x01, 0x00, 0x01]);
        ParseRejects(packet, "label type 0x80 is not supported", 14);
        QueryReaderRejects(packet, "label type 0x80 is not supported", 14);
    }

    [Test]
    public void Name_of_exactly_255_octets_is_accepted()
    {
        var packet = Concat(
            Header(questions: 1),
            Label(63, 'a'), Label(63, 'b'), Label(63, 'c'), Label(61, 'd'), [0x00], // 64*3 + 62 + 1 = 255
            [0x00, 0x01, 0x00, 0x01]);
        Assert.That(DnsMessage.Parse(packet).Questions[0].Name.WireLength, Is.EqualTo(255));
        Assert.That(QueryReader.Read(packet, new byte[255]).NameLength, Is.EqualTo(255));
    }

    [Test]
    public void Name_of_256_octets_made_of_labels_is_rejected()
    {
        var packet = Concat(
            Header(questions: 1),
            Label(63, 'a'), Label(63, 'b'), Label(63, 'c'), Label(62, 'd'), [0x00], // 64*3 + 63 + 1 = 256
            [0x00, 0x01, 0x00, 0x01]);
        // The fourth label starts at 12 + 192 = 204 and is the one that does not fit.
        ParseRejects(packet, "name is longer than 255 octets", 204);
        QueryReaderRejects(packet, "name is longer than 255 octets", 204);
    }

    /// <summary>Question "q{50}.q{50}.q{50}.q{50}." at 12: 4 * 51 + 1 = 205 octets.</summary>
    private static byte[] LongQuestion() => Concat(
        Label(50, 'q'), Label(50, 'q'), Label(50, 'q'), Label(50, 'q'), [0x00],
        [0x00, 0x01, 0x00, 0x01]); // 217..220; the next section starts at 221

    [Test]
    public void Pointer_concatenation_reaching_exactly_255_octets_is_accepted()
    {
        var packet = Concat(
            Header(questions: 1, answers: 1),
            LongQuestion(),
            Label(49, 'r'), [0xC0, 0x0C], // 221: 50 octets + 205 via the pointer = 255
            TypeAClassInTtl3600,
            [0x00, 0x04, 0xC0, 0x00, 0x02, 0x01]);
        Assert.That(DnsMessage.Parse(packet).Answers[0].Name.WireLength, Is.EqualTo(255));
        Assert.DoesNotThrow(() => QueryReader.Read(packet, new byte[255]));
    }

    [Test]
    public void Pointer_concatenation_over_255_octets_is_rejected()
    {
        var packet = Concat(
            Header(questions: 1, answers: 1),
            LongQuestion(),
            Label(50, 'r'), [0xC0, 0x0C], // 221: 51 octets + 205 via the pointer = 256
            TypeAClassInTtl3600,
            [0x00, 0x04, 0xC0, 0x00, 0x02, 0x01]);
        // Detected at the question's fourth label (12 + 153 = 165): with it and the root the name would be 256 octets.
        ParseRejects(packet, "name is longer than 255 octets", 165);
        QueryReaderRejects(packet, "name is longer than 255 octets", 165);
    }

    [Test]
    public void Chain_of_pointers_concatenating_over_255_octets_is_rejected()
    {
        // Each name alone is short; the additional's owner points at the answer's owner, which
        // points at the question: 26 + 26 + 205 = 257 octets.
        var packet = Concat(
            Header(questions: 1, answers: 1, additionals: 1),
            LongQuestion(),
            Label(25, 's'), [0xC0, 0x0C], // 221: 26 + 205 = 231, fine on its own
            TypeAClassInTtl3600,
            [0x00, 0x04, 0xC0, 0x00, 0x02, 0x01], // ..252
            Label(25, 't'), [0xC0, 0xDD], // 253: pointer to 221
            TypeAClassInTtl3600,
            [0x00, 0x04, 0xC0, 0x00, 0x02, 0x02]);
        // 52 octets copied, then the question's labels: the fourth (at 12 + 153 = 165) overflows.
        ParseRejects(packet, "name is longer than 255 octets", 165);
        QueryReaderRejects(packet, "name is longer than 255 octets", 165);
    }
}
