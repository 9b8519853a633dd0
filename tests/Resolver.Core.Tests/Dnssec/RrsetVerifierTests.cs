using System.Net;
using Resolver.Core.Dnssec;
using Resolver.Protocol;
using Resolver.Protocol.Edns;
using Resolver.Protocol.Records;

namespace Resolver.Core.Tests.Dnssec;

public class RrsetVerifierTests
{
    private static readonly DnsName Zone = DnsName.Parse("example.");
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);

    private static DnsRecord A(string owner, string address) =>
        new(DnsName.Parse(owner), RecordType.A, RecordClass.IN, 300, new ARecordData(IPAddress.Parse(address)));

    private static RrsigRecordData SignAddresses(TestZoneKey key, string signedOwner, int labels, DateTimeOffset inception, DateTimeOffset expiration,
        params string[] addresses)
    {
        var rdatas = new List<byte[]>();
        foreach (var address in addresses)
            rdatas.Add(IPAddress.Parse(address).GetAddressBytes());
        rdatas.Sort((a, b) => a.AsSpan().SequenceCompareTo(b));
        return key.Sign(DnsName.Parse(signedOwner), RecordType.A, 300, rdatas, labels, inception, expiration);
    }

    private static ValidationResult Verify(TestZoneKey key, IReadOnlyList<DnsRecord> rrset, RrsigRecordData rrsig, out int wildcardLabels) =>
        RrsetVerifier.Verify(rrset, [rrsig], Zone, [key.Key], Now, Skew, out wildcardLabels);

    [TestCase(DnssecAlgorithm.RsaSha256)]
    [TestCase(DnssecAlgorithm.RsaSha512)]
    [TestCase(DnssecAlgorithm.EcdsaP256Sha256)]
    [TestCase(DnssecAlgorithm.EcdsaP384Sha384)]
    [TestCase(DnssecAlgorithm.Ed25519)]
    public void Signature_over_an_rrset_verifies_in_any_order_and_letter_case_and_a_changed_rdata_byte_fails(byte algorithm)
    {
        using var key = new TestZoneKey(Zone, algorithm);
        var rrsig = SignAddresses(key, "www.example.", 2, Now.AddHours(-1), Now.AddHours(1), "192.0.2.1", "192.0.2.2");
        // The validator must sort the set itself and lower-case the owner (RFC 4034 §6.2, §6.3).
        var rrset = new[] { A("WWW.Example.", "192.0.2.2"), A("WWW.Example.", "192.0.2.1") };
        Assert.That(Verify(key, rrset, rrsig, out int wildcard).State, Is.EqualTo(ValidationState.Secure));
        Assert.That(wildcard, Is.EqualTo(-1));

        var forged = new[] { A("www.example.", "192.0.2.1"), A("www.example.", "192.0.2.3") };
        var result = Verify(key, forged, rrsig, out _);
        Assert.That(result.State, Is.EqualTo(ValidationState.Bogus));
        Assert.That(result.Error, Is.EqualTo(ExtendedErrorCode.DnssecBogus));
    }

    [TestCase(DnssecAlgorithm.RsaSha256)]
    [TestCase(DnssecAlgorithm.EcdsaP256Sha256)]
    public void One_key_checked_on_many_threads_at_once_gives_every_verdict_right(byte algorithm)
    {
        // The imported form of a DNSKEY is made once and shared by every query that uses the key.
        using var key = new TestZoneKey(Zone, algorithm);
        var rrsig = SignAddresses(key, "www.example.", 2, Now.AddHours(-1), Now.AddHours(1), "192.0.2.1");
        var good = new[] { A("www.example.", "192.0.2.1") };
        var forged = new[] { A("www.example.", "192.0.2.9") };
        var wrong = new System.Collections.Concurrent.ConcurrentBag<int>();
        Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var expected = i % 2 == 0 ? ValidationState.Secure : ValidationState.Bogus;
            if (Verify(key, i % 2 == 0 ? good : forged, rrsig, out _).State != expected)
                wrong.Add(i);
        });
        Assert.That(wrong, Is.Empty);
    }

    [Test]
    public void Signature_verified_before_still_expires_and_still_needs_its_own_key()
    {
        // Verified signatures are remembered; the memory must not outlive the validity window or cover another key.
        using var key = new TestZoneKey(Zone, DnssecAlgorithm.EcdsaP256Sha256);
        using var other = new TestZoneKey(Zone, DnssecAlgorithm.EcdsaP256Sha256);
        var rrsig = SignAddresses(key, "www.example.", 2, Now.AddHours(-1), Now.AddHours(1), "192.0.2.1");
        var rrset = new[] { A("www.example.", "192.0.2.1") };
        Assert.That(Verify(key, rrset, rrsig, out _).State, Is.EqualTo(ValidationState.Secure));

        var later = RrsetVerifier.Verify(rrset, [rrsig], Zone, [key.Key], Now.AddHours(2), Skew, out _);
        Assert.That(later.Error, Is.EqualTo(ExtendedErrorCode.SignatureExpired));
        // The same key tag on another key (a collision an attacker can make) must verify with that key, and fail.
        var impostor = new DnskeyRecordData(other.Key.Flags, other.Key.Protocol, other.Key.Algorithm, other.Key.PublicKey);
        var forgedKeyRrsig = new RrsigRecordData(rrsig.TypeCovered, rrsig.Algorithm, rrsig.Labels, rrsig.OriginalTtl, rrsig.Expiration, rrsig.Inception,
            impostor.KeyTag, Zone, rrsig.Signature);
        Assert.That(RrsetVerifier.Verify(rrset, [forgedKeyRrsig], Zone, [impostor], Now, Skew, out _).State, Is.EqualTo(ValidationState.Bogus));
    }

    [Test]
    public void Wildcard_expansion_verifies_against_the_star_owner_and_reports_its_labels()
    {
        using var key = new TestZoneKey(Zone, DnssecAlgorithm.EcdsaP256Sha256);
        var rrsig = SignAddresses(key, "*.example.", 1, Now.AddHours(-1), Now.AddHours(1), "192.0.2.9");
        var result = Verify(key, [A("deep.name.example.", "192.0.2.9")], rrsig, out int wildcard);
        Assert.That(result.State, Is.EqualTo(ValidationState.Secure));
        Assert.That(wildcard, Is.EqualTo(1));
    }

    [Test]
    public void Rrsig_with_more_labels_than_the_owner_is_not_used()
    {
        using var key = new TestZoneKey(Zone, DnssecAlgorithm.EcdsaP256Sha256);
        var rrsig = SignAddresses(key, "www.example.", 3, Now.AddHours(-1), Now.AddHours(1), "192.0.2.1");
        Assert.That(Verify(key, [A("www.example.", "192.0.2.1")], rrsig, out _).State, Is.EqualTo(ValidationState.Bogus));
    }

    [Test]
    public void Expired_signature_is_bogus_with_signature_expired()
    {
        using var key = new TestZoneKey(Zone, DnssecAlgorithm.EcdsaP256Sha256);
        var rrsig = SignAddresses(key, "www.example.", 2, Now.AddDays(-2), Now.AddHours(-1), "192.0.2.1");
        Assert.That(Verify(key, [A("www.example.", "192.0.2.1")], rrsig, out _).Error, Is.EqualTo(ExtendedErrorCode.SignatureExpired));
    }

    [Test]
    public void Signature_from_the_future_is_bogus_with_not_yet_valid_but_the_skew_allowance_accepts_a_minute()
    {
        using var key = new TestZoneKey(Zone, DnssecAlgorithm.EcdsaP256Sha256);
        var future = SignAddresses(key, "www.example.", 2, Now.AddHours(1), Now.AddDays(2), "192.0.2.1");
        Assert.That(Verify(key, [A("www.example.", "192.0.2.1")], future, out _).Error, Is.EqualTo(ExtendedErrorCode.SignatureNotYetValid));
        var slightlyAhead = SignAddresses(key, "www.example.", 2, Now.AddMinutes(1), Now.AddDays(2), "192.0.2.1");
        Assert.That(Verify(key, [A("www.example.", "192.0.2.1")], slightlyAhead, out _).State, Is.EqualTo(ValidationState.Secure));
    }

    [Test]
    public void Key_without_the_zone_bit_is_refused_with_no_zone_key_bit_set()
    {
        using var key = new TestZoneKey(Zone, DnssecAlgorithm.EcdsaP256Sha256, flags: 0);
        var rrsig = SignAddresses(key, "www.example.", 2, Now.AddHours(-1), Now.AddHours(1), "192.0.2.1");
        Assert.That(Verify(key, [A("www.example.", "192.0.2.1")], rrsig, out _).Error, Is.EqualTo(ExtendedErrorCode.NoZoneKeyBitSet));
    }

    [Test]
    public void No_rrsig_is_rrsigs_missing_and_no_matching_key_is_dnskey_missing()
    {
        using var key = new TestZoneKey(Zone, DnssecAlgorithm.EcdsaP256Sha256);
        using var other = new TestZoneKey(Zone, DnssecAlgorithm.EcdsaP256Sha256);
        var rrset = new[] { A("www.example.", "192.0.2.1") };
        Assert.That(RrsetVerifier.Verify(rrset, [], Zone, [key.Key], Now, Skew, out _).Error, Is.EqualTo(ExtendedErrorCode.RrsigsMissing));
        var rrsig = SignAddresses(key, "www.example.", 2, Now.AddHours(-1), Now.AddHours(1), "192.0.2.1");
        Assert.That(RrsetVerifier.Verify(rrset, [rrsig], Zone, [other.Key], Now, Skew, out _).Error, Is.EqualTo(ExtendedErrorCode.DnskeyMissing));
    }

    [Test]
    public void Signature_window_wraps_in_serial_number_arithmetic()
    {
        // RFC 4034 §3.1.5: inception 2^32 - 100 s is before expiration 100 s (after the 2106 wrap).
        var afterWrap = DateTimeOffset.FromUnixTimeSeconds(uint.MaxValue).AddSeconds(50);
        Assert.That(SignatureWindow.Check(uint.MaxValue - 100, 100, afterWrap, TimeSpan.Zero), Is.EqualTo(SignatureWindow.Position.Valid));
    }
}
