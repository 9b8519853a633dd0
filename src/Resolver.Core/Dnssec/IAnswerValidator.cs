using Resolver.Protocol;

namespace Resolver.Core.Dnssec;

/// <summary>
/// The forwarder's one DNSSEC hook: called with an upstream answer (asked with DO=1, CD=1) and
/// its scrubbed form before the scrubbed form is cached. <paramref name="fetch"/> asks the same
/// upstreams for the DS and DNSKEY RRsets of the chain (through the forwarder's cache and coalescing).
/// </summary>
public interface IAnswerValidator
{
    Task<ValidationResult> ValidateAsync(DnsMessage upstream, DnsMessage scrubbed, DnssecFetch fetch);
}
