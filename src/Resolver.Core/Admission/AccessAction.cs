namespace Resolver.Core.Admission;

/// <summary>What the access list does with a client.</summary>
public enum AccessAction
{
    /// <summary>Let the query go on to the next stage.</summary>
    Allow,

    /// <summary>Answer REFUSED (RFC 1035 §4.1.1: "refuses to perform the specified operation for policy reasons").</summary>
    Refuse,

    /// <summary>Send nothing (Unbound's "deny"): a scanner learns nothing, a spoofed victim gets no traffic.</summary>
    Drop,
}
