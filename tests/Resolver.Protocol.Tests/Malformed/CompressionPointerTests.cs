using static Resolver.Protocol.Tests.Malformed.MalformedPacket;

namespace Resolver.Protocol.Tests.Malformed;

/// <summary>
/// Hostile compression pointers (RFC 1035 §4.1.4). The codec accepts only pointers to offsets
/// before the name being read, which rules out loops without counting hops.
/// </summary>
public class CompressionPointerTests
{
    [Test]
    public void Pointer_to_itself_is_rejected()
    {
        var packet = Concat(
            Header(questions: 1),
            [0xC0, 0x0C], // 12: question name = pointer to 12 (itself)
            [0x00, 0x01, 0x00, 0x01]);
        ParseRejects(packet, "compression pointer to 12 does not point backwards", 12);
        QueryReaderRejects(packet, "compression pointer to 12 does not point backwards", 12);
    }

    [Test]
    public void Label_followed_by_a_pointer_to_its_own_name_is_rejected()
    {
        // "a" then a pointer back to the start of the same name: a.a.a.a... forever.
        var packet = Concat(
            Header(questions: 1),
            [0x01, (byte)'a', 0xC0, 0x0C], // 12: label "a", 14: pointer to 12
            [0x00, 0x01, 0x00, 0x01]);
        ParseRejects(packet, "compression pointer to 12 does not point backwards", 14);
        QueryReaderRejects(packet, "compression pointer to 12 does not point backwards", 14);
    }

    [Test]
    public void Two_pointers_to_each_other_are_rejected()
    {
        // The answer's owner (20) points back to 13; the octets at 13 (inside the question's
        // label data) are a pointer forward to 20. Entered from 20 the walk would loop 20 -> 13 -> 20.
        var packet = Concat(
            Header(questions: 1, answers: 1),
            [0x02, 0xC0, 0x14, 0x00], // 12: one label of two octets C0 14 (a pointer to 20 if read at 13), root
            [0x00, 0x01, 0x00, 0x01], // 16: A IN
            [0xC0, 0x0D], // 20: answer owner = pointer to 13
            TypeAClassInTtl3600,
            [0x00, 0x04, 0xC0, 0x00, 0x02, 0x01]);
        ParseRejects(packet, "compression pointer to 20 does not point backwards", 13);
        QueryReaderRejects(packet, "compression pointer to 20 does not point backwards", 13);
    }

    [Test]
    public void Forward_pointer_to_a_later_valid_name_is_rejected()
    {
        var packet = Concat(
            Header(questions: 1, answers: 1, additionals: 1),
            QuestionATestA, // 12..23
            [0xC0, 0x28], // 24: answer owner = pointer forward to 40
            TypeAClassInTtl3600,
            [0x00, 0x04, 0xC0, 0x00, 0x02, 0x01], // ..39
            [0x01, (byte)'b', 0xC0, 0x0C], // 40: b.a.test. (valid on its own)
            TypeAClassInTtl3600,
            [0x00, 0x04, 0xC0, 0x00, 0x02, 0x02]);
        ParseRejects(packet, "compression pointer to 40 does not point backwards", 24);
        QueryReaderRejects(packet, "compression pointer to 40 does not point backwards", 24);
    }

    [Test]
    public void Pointer_past_the_end_of_the_message_is_rejected()
    {
        var packet = Concat(
            Header(questions: 1),
            [0xC0, 0xFF], // 12: pointer to 255, the message is 16 octets long
            [0x00, 0x01, 0x00, 0x01]);
        ParseRejects(packet, "compression pointer to 255 does not point backwards", 12);
        QueryReaderRejects(packet, "compression pointer to 255 does not point backwards", 12);
    }

    [Test]
    public void Pointer_missing_its_second_octet_is_rejected()
    {
        var packet = Concat(
            Header(questions: 1),
            [0x01, (byte)'a', 0xC0]); // 12: label "a", 14: first octet of a pointer, then the end
        ParseRejects(packet, "compression pointer runs past the end of the message", 14);
        QueryReaderRejects(packet, "compression pointer runs past the end of the message", 14);
    }

    [Test]
    public void Pointer_in_rdata_cannot_reach_past_the_rdata_window()
    {
        // A CNAME whose target is a pointer to the next record's owner: forward, so rejected
        // even though the bytes there form a valid name.
        var packet = Concat(
            Header(questions: 1, answers: 2),
            QuestionATestA, // 12..23
            [0xC0, 0x0C, 0x00, 0x05, 0x00, 0x01, 0x00, 0x00, 0x0E, 0x10, 0x00, 0x02], // 24: CNAME, RDLENGTH 2
            [0xC0, 0x26], // 36: target = pointer to 38
            [0x01, (byte)'c', 0xC0, 0x0C], // 38: c.a.test.
            TypeAClassInTtl3600,
            [0x00, 0x04, 0xC0, 0x00, 0x02, 0x03]);
        ParseRejects(packet, "compression pointer to 38 does not point backwards", 36);
    }
}
