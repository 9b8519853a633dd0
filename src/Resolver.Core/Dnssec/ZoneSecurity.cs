using Resolver.Protocol;
using Resolver.Protocol.Records;

namespace Resolver.Core.Dnssec;

/// <summary>
/// What the chain of trust says about one zone: its validated DNSKEYs (secure), or that it lies
/// below an unsigned delegation (insecure), or why it is bogus. Kept by <see cref="ChainOfTrust"/>.
/// </summary>
public sealed class ZoneSecurity
{
    private ZoneSecurity(DnsName zone, ValidationResult result, IReadOnlyList<DnskeyRecordData> keys, long expiresAt)
    {
        Zone = zone;
        Result = result;
        Keys = keys;
        ExpiresAt = expiresAt;
    }

    /// <summary>The deepest zone known on the way down (the secure zone, or where the chain ended).</summary>
    public DnsName Zone { get; }

    public ValidationResult Result { get; }

    public IReadOnlyList<DnskeyRecordData> Keys { get; }

    /// <summary>TimeProvider timestamp after which the result is looked up again.</summary>
    public long ExpiresAt { get; }

    public bool IsSecure => Result.State == ValidationState.Secure;

    public static ZoneSecurity Secure(DnsName zone, IReadOnlyList<DnskeyRecordData> keys, long expiresAt) =>
        new(zone, ValidationResult.Secure, keys, expiresAt);

    public static ZoneSecurity Other(DnsName zone, ValidationResult result, long expiresAt) => new(zone, result, [], expiresAt);
}
