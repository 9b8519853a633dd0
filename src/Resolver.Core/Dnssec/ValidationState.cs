using Resolver.Protocol.Edns;

namespace Resolver.Core.Dnssec;

/// <summary>RFC 4035 §4.3: what validation concluded about an answer.</summary>
public enum ValidationState : byte
{
    /// <summary>Every RRset proven by a chain of signatures from a trust anchor: AD may be set.</summary>
    Secure,

    /// <summary>Proven to lie below an unsigned delegation (or an unsupported algorithm, or a negative trust anchor).</summary>
    Insecure,

    /// <summary>Should have been signed and the signatures or proofs fail: SERVFAIL.</summary>
    Bogus,

    /// <summary>No trust anchor covers the name: answered as insecure.</summary>
    Indeterminate,
}

/// <summary>The outcome with its reason: the EDE of RFC 8914 §4 and a text for the log and the client.</summary>
public readonly record struct ValidationResult(ValidationState State, ExtendedErrorCode? Error, string? Reason)
{
    public static readonly ValidationResult Secure = new(ValidationState.Secure, null, null);
    public static readonly ValidationResult NoAnchor = new(ValidationState.Indeterminate, null, "no trust anchor covers the name");

    public static ValidationResult Insecure(string reason, ExtendedErrorCode? error = null) => new(ValidationState.Insecure, error, reason);

    public static ValidationResult Bogus(ExtendedErrorCode error, string reason) => new(ValidationState.Bogus, error, reason);

    public bool IsBogus => State == ValidationState.Bogus;
}
