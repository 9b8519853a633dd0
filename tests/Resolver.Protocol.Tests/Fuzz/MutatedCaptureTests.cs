using Resolver.Protocol.Tests.Captures;

namespace Resolver.Protocol.Tests.Fuzz;

/// <summary>
/// Seeded random damage to the captured messages: the codec must reject cleanly or accept and
/// round-trip, never throw anything but <see cref="DnsFormatException"/> and never hang.
/// </summary>
public class MutatedCaptureTests
{
    private const int Mutations = 20_000;

    [TestCase(20240601)]
    [TestCase(7)]
    public void Mutated_captures_are_rejected_cleanly_or_parse_and_round_trip(int seed)
    {
        var mutator = new CaptureMutator(seed);
        var corpus = CaptureCorpus.Messages;
        var problems = new List<string>();
        int accepted = 0, rejected = 0;
        BoundedRun.Within(TimeSpan.FromSeconds(120), () =>
        {
            for (int i = 0; i < Mutations; i++)
            {
                byte[] input = mutator.Mutate(corpus[mutator.Random.Next(corpus.Count)].Payload);
                var verdict = CodecOracle.Check(input, problems);
                if (verdict == CodecVerdict.Accepted)
                    accepted++;
                else if (verdict == CodecVerdict.Rejected)
                    rejected++;
            }
        });
        TestContext.Out.WriteLine($"seed {seed}: {accepted} mutants parsed and round-tripped, {rejected} rejected with DnsFormatException");
        Assert.That(problems, Is.Empty, $"seed {seed}");
        // Both outcomes must be common, or the mutations are too mild or too wild to test anything.
        Assert.That(accepted, Is.GreaterThan(Mutations / 50), "mutants that still parse");
        Assert.That(rejected, Is.GreaterThan(Mutations / 4), "mutants rejected");
    }
}
