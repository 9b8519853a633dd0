using Resolver.Protocol;

namespace Resolver.Client;

/// <summary>
/// The accepted answer, parsed. The received bytes are not kept: the answer is parsed in the
/// transport's reused buffer, and copying it out only for callers that want the wire form cost
/// about a fifth of an exchange's allocation. <see cref="ResponseSize"/> is the size of the
/// accepted message in octets (without the TCP length prefix). <see cref="RoundTripTime"/>
/// covers the whole call, fallbacks included.
/// </summary>
public sealed record ExchangeResult(DnsMessage Response, int ResponseSize, bool UsedTcp, TimeSpan RoundTripTime);
