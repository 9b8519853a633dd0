using Resolver.Client;
using Resolver.Protocol;

namespace Resolver.Core.Forwarding;

/// <summary>How one query to one upstream ended.</summary>
internal enum AttemptStatus
{
    /// <summary>NOERROR or NXDOMAIN: an answer to give the client.</summary>
    Answered,

    /// <summary>SERVFAIL from the upstream: try the next one.</summary>
    ServerFailure,

    /// <summary>REFUSED: try the next one (and count it against the upstream: likely an ACL).</summary>
    Refused,

    /// <summary>Any other RCODE (FORMERR, NOTIMP, ...): try the next one.</summary>
    OtherResponseCode,

    Timeout,
    NetworkError,
    Malformed,

    /// <summary>Cancelled because another upstream answered first.</summary>
    Overtaken,
}

/// <summary>One attempt's result: which upstream, how it ended, the answer if there was one, and how many upstreams it used (2 when hedged).</summary>
internal sealed record AttemptOutcome(UpstreamServer Server, AttemptStatus Status, ExchangeResult? Result, int UpstreamsUsed = 1)
{
    public bool IsAnswer => Status == AttemptStatus.Answered;

    public static AttemptStatus Classify(DnsResponseCode code) => code switch
    {
        DnsResponseCode.NoError or DnsResponseCode.NXDomain => AttemptStatus.Answered,
        DnsResponseCode.ServFail => AttemptStatus.ServerFailure,
        DnsResponseCode.Refused => AttemptStatus.Refused,
        _ => AttemptStatus.OtherResponseCode,
    };

    public static string Tag(AttemptStatus status) => status switch
    {
        AttemptStatus.Answered => "answer",
        AttemptStatus.ServerFailure => "servfail",
        AttemptStatus.Refused => "refused",
        AttemptStatus.OtherResponseCode => "other_rcode",
        AttemptStatus.Timeout => "timeout",
        AttemptStatus.NetworkError => "network_error",
        AttemptStatus.Malformed => "malformed",
        _ => "cancelled",
    };
}
