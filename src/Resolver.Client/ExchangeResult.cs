using Resolver.Protocol;

namespace Resolver.Client;

/// <summary>
/// The accepted answer: parsed, and as the exact bytes received (for a wire-bytes cache).
/// <see cref="RoundTripTime"/> covers the whole call, fallbacks included.
/// </summary>
public sealed record ExchangeResult(DnsMessage Response, byte[] ResponseBytes, bool UsedTcp, TimeSpan RoundTripTime);
