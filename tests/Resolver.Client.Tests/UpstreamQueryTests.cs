using Resolver.Protocol;

namespace Resolver.Client.Tests;

public class UpstreamQueryTests
{
    private static readonly DnsName Name = DnsName.Parse("www.example.test.");

    [Test]
    public void Queries_asking_the_same_are_equal_whether_or_not_one_was_sent()
    {
        var sent = new UpstreamQuery(Name, RecordType.A);
        _ = sent.Question;
        var fresh = new UpstreamQuery(DnsName.Parse("WWW.example.test."), RecordType.A);

        Assert.Multiple(() =>
        {
            Assert.That(sent, Is.EqualTo(fresh));
            Assert.That(sent.GetHashCode(), Is.EqualTo(fresh.GetHashCode()));
            Assert.That(sent, Is.Not.EqualTo(fresh with { DnssecOk = true }));
            Assert.That(sent, Is.Not.EqualTo(fresh with { Type = RecordType.AAAA }));
        });
    }

    [Test]
    public void Copy_with_another_type_asks_its_own_question()
    {
        var a = new UpstreamQuery(Name, RecordType.A);
        var first = a.Question;

        var aaaa = a with { Type = RecordType.AAAA };

        Assert.Multiple(() =>
        {
            Assert.That(aaaa.Question.Type, Is.EqualTo(RecordType.AAAA));
            Assert.That(a.Question.Type, Is.EqualTo(RecordType.A));
            Assert.That(a.Question, Is.SameAs(first), "made once per query");
        });
    }

    [Test]
    public void Answer_repeating_the_question_exactly_shares_the_asked_question_and_name()
    {
        var asked = new DnsQuestion(Name, RecordType.A);
        var answer = DnsMessage.CreateQuery(7, DnsName.Parse("www.example.test."), RecordType.A);
        answer.IsResponse = true;
        answer.Answers.Add(new DnsRecord(DnsName.Parse("www.example.test."), RecordType.A, RecordClass.IN, 60,
            new Protocol.Records.ARecordData(System.Net.IPAddress.Parse("192.0.2.1"))));

        var parsed = DnsMessage.Parse(answer.ToArray(), asked);

        Assert.Multiple(() =>
        {
            Assert.That(parsed.Question, Is.SameAs(asked));
            Assert.That(parsed.Questions, Is.EqualTo(new[] { asked }));
            Assert.That(parsed.Answers[0].Name, Is.SameAs(Name), "owner compressed to the question's name");
            Assert.That(parsed.Answers[0].Data.ToText(), Is.EqualTo("192.0.2.1"));
        });
    }
}
