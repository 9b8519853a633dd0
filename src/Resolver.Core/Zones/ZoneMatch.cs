namespace Resolver.Core.Zones;

/// <summary>What a zone holds for a name (RFC 1034 §4.3.2 step 3).</summary>
public enum ZoneMatchKind
{
    /// <summary>The name exists (with data or as an empty non-terminal).</summary>
    Exact,

    /// <summary>The name does not exist but a wildcard at its closest encloser covers it (RFC 4592 §3.3).</summary>
    Wildcard,

    /// <summary>The name is at or below a zone cut: the answer is a referral.</summary>
    Delegation,

    /// <summary>
    /// The name lies strictly below a node holding a DNAME (the match's node): the answer is the
    /// DNAME, a CNAME synthesized from it and the lookup of the substituted name (RFC 6672 §3.2).
    /// </summary>
    Dname,

    /// <summary>The name does not exist and no wildcard covers it.</summary>
    NameError,
}

/// <summary>The outcome of <see cref="Zone.Match"/>: the kind and the node that answers (the DNAME's owner for <see cref="ZoneMatchKind.Dname"/>, none for a name error).</summary>
public readonly record struct ZoneMatch(ZoneMatchKind Kind, ZoneNode? Node);
