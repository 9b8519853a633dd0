using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Resolver.Core.Cache;
using Resolver.Protocol;
using Resolver.Protocol.Edns;
using Resolver.Protocol.Records;

namespace Resolver.Core.Dnssec;

/// <summary>
/// RFC 4035 §5 in forwarding mode: every RRset of the answer must verify with the keys of the
/// zone that signed it, reached by the <see cref="ChainOfTrust"/>; a wildcard expansion needs the
/// proof that no closer name exists; a negative answer needs its NSEC/NSEC3 proof. Unsigned data
/// is insecure only where the chain proves an unsigned delegation, else bogus.
/// </summary>
public sealed partial class AnswerValidator : IAnswerValidator
{
    private readonly TrustAnchors _anchors;
    private readonly DnssecOptions _options;
    private readonly TimeProvider _time;
    private readonly ChainOfTrust _chain;
    private readonly DnssecMetrics _metrics;
    private readonly ILogger _logger;

    /// <param name="cacheGeneration">The response cache's flush count: a flush makes the chain's keys be fetched again.</param>
    public AnswerValidator(TrustAnchors anchors, DnssecOptions options, TimeProvider? time = null, DnssecMetrics? metrics = null,
        ILogger<AnswerValidator>? logger = null, Func<long>? cacheGeneration = null)
    {
        _anchors = anchors;
        _options = options;
        _time = time ?? TimeProvider.System;
        _chain = new ChainOfTrust(anchors, options, _time, cacheGeneration);
        _metrics = metrics ?? new DnssecMetrics();
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    public async Task<ValidationResult> ValidateAsync(DnsMessage upstream, DnsMessage scrubbed, DnssecFetch fetch)
    {
        var question = scrubbed.Question!;
        ValidationResult result;
        if (_anchors.IsNegative(question.Name))
            result = ValidationResult.Insecure("below a negative trust anchor");
        else if (_anchors.Closest(question.Name) is null)
            result = ValidationResult.NoAnchor;
        else
            result = await CheckAsync(upstream, scrubbed, question, fetch).ConfigureAwait(false);
        _metrics.Validated(result.State);
        if (result.IsBogus)
            LogBogus(question.Name, question.Type, result.Error ?? ExtendedErrorCode.DnssecBogus, result.Reason ?? "");
        return result;
    }

    private async Task<ValidationResult> CheckAsync(DnsMessage upstream, DnsMessage scrubbed, DnsQuestion question, DnssecFetch fetch)
    {
        var overall = ValidationResult.Secure;
        var answers = new SignedSection(scrubbed.Answers);
        var last = question.Name;
        foreach (var rrset in answers.Rrsets)
        {
            if (rrset.Type == RecordType.CNAME && rrset.Records[0].Data is NameRecordData cname)
                last = cname.Target;
            // RFC 6672 §5.3.3: a CNAME synthesised from a DNAME is unsigned; the DNAME's signature covers it.
            if (rrset.Type == RecordType.CNAME && rrset.Signatures.Count == 0 && answers.FindType(RecordType.DNAME) is not null)
                continue;
            var result = await CheckRrsetAsync(rrset, upstream, fetch).ConfigureAwait(false);
            overall = Combine(overall, result);
            if (overall.IsBogus)
                return overall;
        }
        if (TtlPolicy.IsNegative(scrubbed))
            overall = Combine(overall, await CheckDenialAsync(upstream, last, question.Type, fetch).ConfigureAwait(false));
        return overall;
    }

    private async Task<ValidationResult> CheckRrsetAsync(SignedRrset rrset, DnsMessage upstream, DnssecFetch fetch)
    {
        var signer = rrset.Signer;
        if (signer is not null && !rrset.Owner.IsSubdomainOf(signer))
            return ValidationResult.Bogus(ExtendedErrorCode.DnssecBogus, $"{rrset.Owner} {rrset.Type} signed by {signer}, which is not its zone");
        var zone = await _chain.FindZoneAsync(signer ?? rrset.Owner, fetch).ConfigureAwait(false);
        if (zone is null)
            return ValidationResult.NoAnchor;
        if (!zone.IsSecure)
            return zone.Result;
        if (signer is null)
            return ValidationResult.Bogus(ExtendedErrorCode.RrsigsMissing, $"no RRSIG for {rrset.Owner} {rrset.Type} in signed zone {zone.Zone}");
        if (zone.Zone != signer)
            return ValidationResult.Bogus(ExtendedErrorCode.DnssecBogus, $"{signer} signed {rrset.Owner} {rrset.Type} but is no zone of the chain");
        var check = RrsetVerifier.Verify(rrset.Records, rrset.Signatures, zone.Zone, zone.Keys, _time.GetUtcNow(), _options.ClockSkew, out int wildcardLabels);
        if (check.IsBogus || wildcardLabels < 0)
            return check;
        return WildcardProof.Check(upstream, rrset.Owner, wildcardLabels, zone, _time.GetUtcNow(), _options.ClockSkew);
    }

    private async Task<ValidationResult> CheckDenialAsync(DnsMessage upstream, DnsName name, RecordType type, DnssecFetch fetch)
    {
        var authority = new SignedSection(upstream.Authorities);
        var soa = authority.FindType(RecordType.SOA);
        var signer = soa?.Signer;
        if (signer is null)
        {
            // Nothing signed: insecure only if the chain proves the name's zone unsigned.
            var zone = await _chain.FindZoneAsync(name, fetch).ConfigureAwait(false);
            if (zone is null)
                return ValidationResult.NoAnchor;
            return zone.IsSecure
                ? ValidationResult.Bogus(soa is null ? ExtendedErrorCode.NsecMissing : ExtendedErrorCode.RrsigsMissing, $"unsigned negative answer for {name} in signed zone {zone.Zone}")
                : zone.Result;
        }
        if (!name.IsSubdomainOf(signer))
            return ValidationResult.Bogus(ExtendedErrorCode.DnssecBogus, $"negative answer for {name} signed by {signer}");
        var signerZone = await _chain.FindZoneAsync(signer, fetch).ConfigureAwait(false);
        if (signerZone is null)
            return ValidationResult.NoAnchor;
        if (!signerZone.IsSecure)
            return signerZone.Result;
        if (signerZone.Zone != signer)
            return ValidationResult.Bogus(ExtendedErrorCode.DnssecBogus, $"{signer} signed the negative answer but is no zone of the chain");
        return DenialProof.Check(upstream, name, type, signerZone, _time.GetUtcNow(), _options.ClockSkew).Result;
    }

    // Bogus wins over insecure, insecure over secure (RFC 4035 §4.3: AD only when everything is secure).
    private static ValidationResult Combine(ValidationResult a, ValidationResult b) =>
        Rank(b.State) > Rank(a.State) ? b : a;

    private static int Rank(ValidationState state) => state switch
    {
        ValidationState.Secure => 0,
        ValidationState.Indeterminate => 1,
        ValidationState.Insecure => 2,
        _ => 3,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "DNSSEC bogus answer for {Name} {Type}: EDE {Error}, {Reason}")]
    private partial void LogBogus(DnsName name, RecordType type, ExtendedErrorCode error, string reason);
}
