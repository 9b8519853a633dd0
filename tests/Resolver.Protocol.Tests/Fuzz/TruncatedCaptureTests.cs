using Resolver.Protocol.Tests.Captures;

namespace Resolver.Protocol.Tests.Fuzz;

/// <summary>
/// Every captured message cut at every length. The header counts always promise more than a
/// strict prefix holds (the full message has no trailing octets), so every cut must be
/// rejected, and only with <see cref="DnsFormatException"/>.
/// </summary>
public class TruncatedCaptureTests
{
    [Test]
    public void Every_strict_prefix_of_every_captured_message_is_rejected_with_a_format_error()
    {
        var problems = new List<string>();
        int prefixes = 0;
        BoundedRun.Within(TimeSpan.FromSeconds(120), () =>
        {
            foreach (var message in CaptureCorpus.Messages)
            {
                byte[] payload = message.Payload;
                for (int length = 0; length < payload.Length; length++)
                {
                    prefixes++;
                    var verdict = CodecOracle.Check(payload[..length], problems);
                    if (verdict == CodecVerdict.Accepted && problems.Count < 20)
                        problems.Add($"prefix of {length} octets accepted: {message}");
                }
            }
        });
        TestContext.Out.WriteLine($"{prefixes} prefixes of {CaptureCorpus.Messages.Count} captured messages checked");
        Assert.That(problems, Is.Empty);
        Assert.That(prefixes, Is.GreaterThan(50_000), "the corpus is big enough to mean something");
    }

    [Test]
    public void Every_whole_captured_message_is_accepted_by_the_oracle()
    {
        // The control for the test above: uncut messages pass every check of the oracle.
        var problems = new List<string>();
        foreach (var message in CaptureCorpus.Messages)
            Assert.That(CodecOracle.Check(message.Payload, problems), Is.EqualTo(CodecVerdict.Accepted), message.ToString());
        Assert.That(problems, Is.Empty);
    }
}
