using static Resolver.Protocol.Tests.Malformed.MalformedPacket;

namespace Resolver.Protocol.Tests.Malformed;

/// <summary>
/// Messages that end too early or promise more than they hold (RFC 1035 §4.1): both the full
/// parser and the server's query reader must refuse them with the offset where data ran out.
/// </summary>
public class TruncationAndCountTests
{
    [TestCase(0)]
    [TestCase(1)]
    [TestCase(11)]
    public void Message_shorter_than_the_header_is_rejected(int length)
    {
        var packet = Header(questions: 1)[..length];
        ParseRejects(packet, $"message of {length} bytes is shorter than the 12-byte header", length);
        QueryReaderRejects(packet, $"message of {length} bytes is shorter than the 12-byte header", length);
    }

    [Test]
    public void Question_name_cut_inside_a_label_is_rejected()
    {
        var packet = Concat(
            Header(questions: 1),
            [0x01, (byte)'a'], // 12: label "a"
            [0x04, (byte)'t', (byte)'e']); // 14: label of 4 octets, only 2 present
        ParseRejects(packet, "label runs past the end of the message", 14);
        QueryReaderRejects(packet, "label runs past the end of the message", 14);
    }

    [Test]
    public void Question_cut_inside_type_and_class_is_rejected()
    {
        var packet = Concat(
            Header(questions: 1),
            QuestionATestA[..8], // 12: a.test.
            [0x00, 0x01, 0x00]); // 20: TYPE A, then one octet of CLASS
        ParseRejects(packet, "16-bit field runs past the end of the message", 22);
        QueryReaderRejects(packet, "question type and class run past the end of the message", 20);
    }

    [Test]
    public void Record_cut_inside_its_fixed_header_is_rejected()
    {
        var packet = Concat(
            Header(questions: 1, answers: 1),
            QuestionATestA, // 12..23
            [0xC0, 0x0C, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]); // 24: owner, TYPE, CLASS, half a TTL
        ParseRejects(packet, "32-bit field runs past the end of the message", 30);
        QueryReaderRejects(packet, "record header runs past the end of the message", 26);
    }

    [Test]
    public void Record_cut_inside_its_rdata_is_rejected()
    {
        var packet = Concat(
            Header(questions: 1, answers: 1),
            QuestionATestA, // 12..23
            AnswerA[..14]); // 24: A record whose RDLENGTH (at 34) says 4 but only 2 octets follow
        ParseRejects(packet, "RDATA of 4 octets runs past the end of the message", 34);
        QueryReaderRejects(packet, "RDATA of 4 octets runs past the end of the message", 34);
    }

    [Test]
    public void Question_count_larger_than_the_questions_present_is_rejected()
    {
        var packet = Concat(Header(questions: 2), QuestionATestA); // second question would start at 24 = end
        ParseRejects(packet, "name runs past the end of the message", 24);
        QueryReaderRejects(packet, "name runs past the end of the message", 24);
    }

    [Test]
    public void Answer_count_larger_than_the_answers_present_is_rejected()
    {
        var packet = Concat(Header(questions: 1, answers: 2), QuestionATestA, AnswerA); // second answer at 40 = end
        ParseRejects(packet, "name runs past the end of the message", 40);
        QueryReaderRejects(packet, "name runs past the end of the message", 40);
    }

    [Test]
    public void Authority_count_larger_than_the_records_present_is_rejected()
    {
        var packet = Concat(Header(questions: 1, answers: 1, authorities: 1), QuestionATestA, AnswerA);
        ParseRejects(packet, "name runs past the end of the message", 40);
        QueryReaderRejects(packet, "name runs past the end of the message", 40);
    }

    [Test]
    public void Additional_count_larger_than_the_records_present_is_rejected()
    {
        // A query announcing an OPT record that is not there.
        var packet = Concat(Header(questions: 1, additionals: 1), QuestionATestA);
        ParseRejects(packet, "name runs past the end of the message", 24);
        QueryReaderRejects(packet, "name runs past the end of the message", 24);
    }

    [Test]
    public void Maximum_counts_on_a_tiny_message_fail_fast()
    {
        var packet = Concat(Header(questions: 0xFFFF, answers: 0xFFFF, authorities: 0xFFFF, additionals: 0xFFFF), QuestionATestA);
        ParseRejects(packet, "name runs past the end of the message", 24);
        QueryReaderRejects(packet, "name runs past the end of the message", 24);
    }

    [Test]
    public void Bytes_after_the_last_record_are_rejected_by_the_full_parser()
    {
        var packet = Concat(Header(questions: 1), QuestionATestA, [0x00, 0x00]); // 24: two stray octets
        ParseRejects(packet, "2 bytes after the last record", 24);
    }

    [Test]
    public void Query_reader_ignores_bytes_after_the_last_record()
    {
        // The hot path only walks the records the header announces (RFC 1035 gives no rule for
        // trailing octets; the full parser is the strict one). Documented here so a change is deliberate.
        var packet = Concat(Header(questions: 1), QuestionATestA, [0x00, 0x00]);
        var info = QueryReader.Read(packet, new byte[255]);
        Assert.That(info.Type, Is.EqualTo(RecordType.A));
    }
}
