using Resolver.Protocol;

namespace Resolver.Core.Dnssec;

/// <summary>Settings of DNSSEC validation (section <c>Resolver:Dnssec</c>).</summary>
public sealed class DnssecOptions
{
    /// <summary>Validate answers (RFC 4035 §5). Off in this first version.</summary>
    public bool Validate { get; set; }

    /// <summary>DS or DNSKEY records in master-file form; the shipped file holds the root KSK-2017 and KSK-2024 DS.</summary>
    public string TrustAnchorFile { get; set; } = "trust-anchors/root.ds";

    /// <summary>Names (and everything below them) that are answered without validation (RFC 7646).</summary>
    public List<string> NegativeTrustAnchors { get; set; } = [];

    /// <summary>How long a bogus answer or chain is remembered (RFC 4035 §4.7; Unbound's val-bogus-ttl is 60 s).</summary>
    public TimeSpan BogusTtl { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Clock skew allowed at both ends of a signature's validity window.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Longest time a validated key or delegation is kept before it is checked again.</summary>
    public TimeSpan MaxKeyTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Every bad setting, each as a sentence; empty when all are good.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Validate && string.IsNullOrWhiteSpace(TrustAnchorFile))
            problems.Add("Dnssec:TrustAnchorFile is required when Dnssec:Validate is on");
        if (BogusTtl < TimeSpan.Zero || BogusTtl > TimeSpan.FromHours(1))
            problems.Add($"Dnssec:BogusTtl {BogusTtl} is not between 0 and 1 hour");
        if (ClockSkew < TimeSpan.Zero || ClockSkew > TimeSpan.FromHours(1))
            problems.Add($"Dnssec:ClockSkew {ClockSkew} is not between 0 and 1 hour");
        if (MaxKeyTtl < TimeSpan.FromSeconds(1))
            problems.Add($"Dnssec:MaxKeyTtl {MaxKeyTtl} is below 1 s");
        foreach (var name in NegativeTrustAnchors)
        {
            if (!DnsName.TryParse(name, out _))
                problems.Add($"Dnssec:NegativeTrustAnchors '{name}' is not a domain name");
        }
        return problems;
    }
}
