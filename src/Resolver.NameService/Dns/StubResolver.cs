using System.Net;
using Resolver.Client;
using Resolver.Protocol;
using Resolver.Protocol.Records;

namespace Resolver.NameService;

/// <summary>
/// The DNS half of "hosts: files dns": glibc's stub resolver (res_query over res_send) driven by
/// <see cref="ResolvConf"/>, asking through Resolver.Client. One question per call; the search
/// list is the caller's business (<see cref="IDnsHostLookup"/>).
/// <list type="bullet">
/// <item>Nameservers in order, <c>attempts</c> rounds, <c>rotate</c> starts each question one
/// server further, per-try wait from <c>timeout</c> (see <see cref="NameserverWalk"/>).</item>
/// <item><c>use-vc</c> asks over TCP; a truncated UDP reply is asked again over TCP by the client.</item>
/// <item>No OPT record unless <c>edns0</c> (then 1200 octets, glibc's RESOLV_EDNS_BUFFER_SIZE).</item>
/// <item>Outcomes as res_query sets h_errno: NXDOMAIN is <see cref="DnsLookupOutcome.NxDomain"/>,
/// NOERROR without records of the type at the end of the CNAME chain is NoData, SERVFAIL/REFUSED/NOTIMP
/// from every server is ServerFailure (last reply SERVFAIL) or TryAgain, no reply at all is TryAgain,
/// FORMERR or any other RCODE and an unreadable reply are Fail.</item>
/// </list>
/// The blocking and asynchronous forms run the same code; with a <see cref="DnsExchange"/> the
/// blocking form uses its blocking sockets.
/// </summary>
public sealed class StubResolver : IDnsHostLookup, IDnsReverseLookup, IDisposable
{
    /// <summary>glibc's RESOLV_EDNS_BUFFER_SIZE: the UDP size advertised with "options edns0".</summary>
    public const ushort Edns0PayloadSize = 1200;

    private readonly NameserverWalk _walk;
    private readonly DnsExchange? _ownedExchange;

    /// <param name="conf">Nameservers (with their ports) and options.</param>
    /// <param name="exchange">How to ask one server; by default a new <see cref="DnsExchange"/>.</param>
    public StubResolver(ResolvConf conf, IDnsExchange? exchange = null)
        : this(conf, exchange, Random.Shared.Next())
    {
    }

    /// <param name="rotationStart">Where "rotate" starts (glibc starts at a random server).</param>
    internal StubResolver(ResolvConf conf, IDnsExchange? exchange, int rotationStart)
    {
        ArgumentNullException.ThrowIfNull(conf);
        Conf = conf;
        if (exchange is null) exchange = _ownedExchange = new DnsExchange();
        _walk = new NameserverWalk(conf, exchange, rotationStart);
    }

    public ResolvConf Conf { get; }

    public DnsHostAnswer Lookup(string absoluteName, DnsQueryType type) =>
        LookupCoreAsync(absoluteName, type, synchronous: true, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public ValueTask<DnsHostAnswer> LookupAsync(string absoluteName, DnsQueryType type, CancellationToken cancellationToken = default) =>
        LookupCoreAsync(absoluteName, type, synchronous: false, cancellationToken);

    public DnsReverseAnswer Lookup(IPAddress address) =>
        ReverseCoreAsync(address, synchronous: true, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public ValueTask<DnsReverseAnswer> LookupAsync(IPAddress address, CancellationToken cancellationToken = default) =>
        ReverseCoreAsync(address, synchronous: false, cancellationToken);

    private async ValueTask<DnsHostAnswer> LookupCoreAsync(string absoluteName, DnsQueryType type, bool synchronous, CancellationToken ct)
    {
        var recordType = (RecordType)(ushort)type;
        (DnsLookupOutcome outcome, AnswerChain? chain) = await AskAsync(absoluteName, recordType, synchronous, ct);
        if (outcome != DnsLookupOutcome.Success) return DnsHostAnswer.Of(outcome);
        var addresses = new List<IPAddress>(chain!.Records.Count);
        foreach (DnsRecord record in chain.Records)
        {
            if (record.Data is ARecordData a) addresses.Add(a.Address);
            else if (record.Data is AaaaRecordData aaaa) addresses.Add(aaaa.Address);
        }
        var aliases = new List<string>(chain.Aliases.Count);
        foreach (DnsName alias in chain.Aliases) aliases.Add(AnswerChain.Text(alias));
        return new DnsHostAnswer(DnsLookupOutcome.Success, addresses, AnswerChain.Text(chain.End)) { Aliases = aliases };
    }

    private async ValueTask<DnsReverseAnswer> ReverseCoreAsync(IPAddress address, bool synchronous, CancellationToken ct)
    {
        // RFC 2317 classless delegation answers PTR questions through a CNAME: the chain is followed.
        (DnsLookupOutcome outcome, AnswerChain? chain) = await AskAsync(ReverseName.For(address), RecordType.PTR, synchronous, ct);
        if (outcome != DnsLookupOutcome.Success) return DnsReverseAnswer.Of(outcome);
        var names = new List<string>(chain!.Records.Count);
        foreach (DnsRecord record in chain.Records)
            if (record.Data is NameRecordData ptr) names.Add(AnswerChain.Text(ptr.Target));
        return new DnsReverseAnswer(DnsLookupOutcome.Success, names);
    }

    /// <summary>res_query: one question, its reply turned into an outcome and the records found.</summary>
    private async ValueTask<(DnsLookupOutcome, AnswerChain?)> AskAsync(string absoluteName, RecordType type, bool synchronous, CancellationToken ct)
    {
        // A name that cannot be put into a query: res_mkquery fails, h_errno NO_RECOVERY.
        if (!DnsName.TryParse(absoluteName, out DnsName name)) return (DnsLookupOutcome.Fail, null);
        var query = new UpstreamQuery(name, type)
        {
            UseEdns = Conf.Edns0,
            ForceTcp = Conf.UseVc,
        };
        WalkResult walked = await _walk.AskAsync(query, synchronous, ct);
        if (walked.Response is not DnsMessage response) return (walked.Failure, null);
        switch (response.ResponseCode)
        {
            case DnsResponseCode.NXDomain:
                return (DnsLookupOutcome.NxDomain, null);
            case DnsResponseCode.NoError:
                AnswerChain chain = AnswerChain.Follow(response, name, type);
                // RFC 2308 §2.2: NOERROR without the type (a CNAME alone included) is NODATA.
                return chain.Records.Count > 0 ? (DnsLookupOutcome.Success, chain) : (DnsLookupOutcome.NoData, null);
            default:
                // FORMERR (after the client's retry without EDNS) and every other RCODE: NO_RECOVERY.
                return (DnsLookupOutcome.Fail, null);
        }
    }

    public void Dispose() => _ownedExchange?.Dispose();
}
