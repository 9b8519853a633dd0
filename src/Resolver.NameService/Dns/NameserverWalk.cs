using System.Net;
using Resolver.Client;
using Resolver.Protocol;

namespace Resolver.NameService;

/// <summary>How asking the nameservers ended: a reply to interpret, or no usable reply at all.</summary>
/// <param name="Response">The reply glibc would hand to its caller; null when every try failed.</param>
/// <param name="Failure">
/// When <paramref name="Response"/> is null: <see cref="DnsLookupOutcome.ServerFailure"/> when the
/// last reply received was SERVFAIL (glibc's search goes on), <see cref="DnsLookupOutcome.TryAgain"/>
/// otherwise; <see cref="DnsLookupOutcome.Fail"/> for a reply that could not be parsed.
/// </param>
internal readonly record struct WalkResult(DnsMessage? Response, DnsLookupOutcome Failure);

/// <summary>
/// glibc's res_send over Resolver.Client: <c>attempts</c> rounds over the nameservers in order,
/// starting one further along per question with <c>rotate</c>, one round only with <c>use-vc</c>.
/// Each try is one <see cref="IDnsExchange"/> call (UDP, TCP on TC=1 in the same try).
/// </summary>
internal sealed class NameserverWalk
{
    private readonly IDnsExchange _exchange;
    private readonly IReadOnlyList<IPEndPoint> _servers;
    private readonly ExchangeOptions[] _tryOptions;
    private readonly int _rounds;
    private readonly bool _rotate;
    private int _rotation;

    public NameserverWalk(ResolvConf conf, IDnsExchange exchange, int rotationStart)
    {
        _exchange = exchange;
        _servers = conf.Nameservers;
        // res_send: with use-vc, "at most one attempt per server" (try = statp->retry).
        _rounds = conf.UseVc ? Math.Min(conf.Attempts, 1) : conf.Attempts;
        _rotate = conf.Rotate && _servers.Count > 1;
        _rotation = rotationStart;
        _tryOptions = new ExchangeOptions[_servers.Count];
        for (int i = 0; i < _servers.Count; i++)
        {
            TimeSpan wait = TryTimeout(conf.TimeoutSeconds, i, _servers.Count);
            _tryOptions[i] = new ExchangeOptions
            {
                UdpReceiveTimeout = wait,
                TcpConnectTimeout = wait,
                TcpReadTimeout = wait,
                UdpPayloadSize = StubResolver.Edns0PayloadSize,
            };
        }
    }

    /// <summary>
    /// send_dg's wait for server number <paramref name="index"/>: (timeout &lt;&lt; index) / count
    /// for index &gt; 0, at least 1 s. With "timeout:T" that is about T for every server.
    /// </summary>
    internal static TimeSpan TryTimeout(int timeoutSeconds, int index, int count)
    {
        long seconds = (long)timeoutSeconds << Math.Min(index, 30);
        if (index > 0) seconds /= count;
        return TimeSpan.FromSeconds(Math.Max(seconds, 1));
    }

    /// <summary>
    /// Asks until a server gives a reply glibc keeps. SERVFAIL, NOTIMP, REFUSED and a bare
    /// referral (NOERROR, no records, neither AA nor RA) move on to the next server, as do
    /// timeouts and network errors; any other reply is the answer, whatever its RCODE.
    /// </summary>
    public async ValueTask<WalkResult> AskAsync(UpstreamQuery query, bool synchronous, CancellationToken ct)
    {
        int count = _servers.Count;
        int offset = _rotate ? (int)((uint)Interlocked.Increment(ref _rotation) % (uint)count) : 0;
        bool lastWasServFail = false;
        for (int round = 0; round < _rounds; round++)
        {
            for (int shift = 0; shift < count; shift++)
            {
                int index = (shift + offset) % count;
                DnsMessage response;
                try
                {
                    response = (await ExchangeAsync(_servers[index], query, _tryOptions[index], synchronous, ct)).Response;
                }
                catch (UpstreamException failure) when (failure.Kind != UpstreamFailureKind.MalformedResponse)
                {
                    continue;
                }
                catch (UpstreamException)
                {
                    // A reply that matched our question but cannot be read: glibc hands such a
                    // reply to its parser, which fails (NO_RECOVERY) without asking anyone else.
                    return new WalkResult(null, DnsLookupOutcome.Fail);
                }
                if (MovesOn(response))
                {
                    lastWasServFail = response.ResponseCode == DnsResponseCode.ServFail;
                    continue;
                }
                return new WalkResult(response, DnsLookupOutcome.Success);
            }
        }
        return new WalkResult(null, lastWasServFail ? DnsLookupOutcome.ServerFailure : DnsLookupOutcome.TryAgain);
    }

    private ValueTask<ExchangeResult> ExchangeAsync(IPEndPoint server, UpstreamQuery query, ExchangeOptions options, bool synchronous, CancellationToken ct)
    {
        if (synchronous && _exchange is DnsExchange blocking)
            return ValueTask.FromResult(blocking.Exchange(server, query, options));
        return _exchange.ExchangeAsync(server, query, options, ct);
    }

    /// <summary>send_dg's "server rejected query" and "referred query" cases.</summary>
    internal static bool MovesOn(DnsMessage response) =>
        response.ResponseCode is DnsResponseCode.ServFail or DnsResponseCode.NotImp or DnsResponseCode.Refused
        || (response.ResponseCode == DnsResponseCode.NoError && response.Answers.Count == 0
            && !response.AuthoritativeAnswer && !response.RecursionAvailable
            && response.Additionals.Count == 0 && response.Edns is null);
}
