using System.Diagnostics;
using Resolver.Integration.Tests.Infrastructure;
using Resolver.Protocol;
using Resolver.Protocol.Edns;

namespace Resolver.Integration.Tests.Forwarding;

/// <summary>
/// Whatever the only upstream does with a name (never answers, answers only with packets that must be
/// discarded, answers too late, only truncated, only SERVFAIL or REFUSED, or its process is gone), the client
/// gets an answer within the overall deadline (3 s, the shipped default): SERVFAIL with an Extended DNS Error
/// saying why, its own ID and question, never silence.
/// </summary>
public sealed class DeadlineUnderEveryFaultTests : ResolverFixture
{
    private const string Name = "www.fwd.test.";

    /// <summary>The shipped deadline plus room for a loaded test machine; silence would take the whole wait.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(3.75);

    [TestCase("drop every query")]
    [TestCase("silent upstream")]
    [TestCase("replies only from a spoofed port")]
    [TestCase("replies only with a wrong id")]
    [TestCase("replies only with garbage")]
    [TestCase("replies only for another question")]
    [TestCase("replies after 8 seconds")]
    [TestCase("replies only truncated, over udp and tcp")]
    [TestCase("replies servfail")]
    [TestCase("replies refused")]
    [TestCase("process killed")]
    public async Task Client_gets_servfail_with_a_reason_within_the_deadline(string fault)
    {
        await using var resolver = await StartResolverAsync();
        Break(fault);
        var query = RawDns.Query(Name, RecordType.A, edns: true);
        var clock = Stopwatch.StartNew();

        var response = await resolver.AskUdpAsync(query, TimeSpan.FromSeconds(10));
        var took = clock.Elapsed;

        Assert.Multiple(() =>
        {
            Assert.That(took, Is.LessThan(Limit), $"answered in {took.TotalMilliseconds:F0} ms; upstream saw: {Upstream.Arrivals}");
            Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.ServFail), RawDns.Describe(response));
            Assert.That(response.Id, Is.EqualTo(query.Id));
            Assert.That(response.Questions.Single().Name.ToString(), Is.EqualTo(Name));
            Assert.That(response.Answers, Is.Empty, "nothing from a faulty reply is passed on");
            Assert.That(response.Edns?.Find<ExtendedErrorOption>(), Is.Not.Null, "RFC 8914 EDE says why: " + RawDns.Describe(response));
        });
    }

    private void Break(string fault)
    {
        switch (fault)
        {
            case "drop every query":
                Upstream.On(Name, new NameBehaviour { DropFirst = int.MaxValue });
                break;
            case "silent upstream":
                Upstream.Silent = true;
                break;
            case "replies only from a spoofed port":
                Upstream.On(Name, new NameBehaviour { FromOtherPortFirst = true, FaultsOnly = true });
                break;
            case "replies only with a wrong id":
                Upstream.On(Name, new NameBehaviour { WrongIdFirst = true, FaultsOnly = true });
                break;
            case "replies only with garbage":
                Upstream.On(Name, new NameBehaviour { GarbageFirst = true, FaultsOnly = true });
                break;
            case "replies only for another question":
                Upstream.On(Name, new NameBehaviour { WrongQuestionFirst = true, FaultsOnly = true });
                break;
            case "replies after 8 seconds":
                Upstream.On(Name, new NameBehaviour { Delay = TimeSpan.FromSeconds(8) });
                break;
            case "replies only truncated, over udp and tcp":
                Upstream.On(Name, new NameBehaviour { TruncateAlways = true });
                break;
            case "replies servfail":
                Upstream.On(Name, new NameBehaviour { Rcode = DnsResponseCode.ServFail });
                break;
            case "replies refused":
                Upstream.On(Name, new NameBehaviour { Rcode = DnsResponseCode.Refused });
                break;
            case "process killed":
                Upstream.Dispose(); // its sockets closed: UDP gets ICMP port unreachable, TCP a reset
                break;
            default:
                throw new ArgumentException(fault);
        }
    }
}
