namespace Resolver.Core.Dnssec;

/// <summary>What a set of validated NSEC or NSEC3 records proves about a name.</summary>
public enum DenialResult : byte
{
    /// <summary>The denial (or the absence of a closer match) is proven.</summary>
    Proven,

    /// <summary>Proven to lie in an opt-out span, or hashed with too many iterations (RFC 9276): insecure, not bogus.</summary>
    Insecure,

    /// <summary>The records do not prove it.</summary>
    NotProven,
}

/// <summary>One NSEC or NSEC3 record whose RRSIG has been verified, with its owner.</summary>
public readonly record struct ProvenRecord<T>(Resolver.Protocol.DnsName Owner, T Data);
