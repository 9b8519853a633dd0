using Resolver.Core.Dnssec;
using Resolver.Protocol;
using Resolver.Protocol.Records;
using Resolver.Protocol.Text;

namespace Resolver.Core.Tests.Dnssec;

public class CanonicalFormTests
{
    private static DnsRecord Parse(string line) => MasterFileReader.Read(line, "test", DnsName.Root, defaultTtl: 3600)[0];

    // IANA root-anchors.xml: KSK-2017 and KSK-2024 with their published key tags and SHA-256 DS digests.
    [TestCase("AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3+/4RgWOq7HrxRixHlFlExOLAJr5emLvN7SWXgnLh4+B5xQlNVz8Og8kvArMtNROxVQuCaSnIDdD5LKyWbRd2n9WGe2R8PzgCmr3EgVLrjyBxWezF0jLHwVN8efS3rCj/EWgvIWgb9tarpVUDK/b58Da+sqqls3eNbuv7pr+eoZG+SrDK6nWeL3c6H5Apxz7LjVc1uTIdsIXxuOLYA4/ilBmSVIzuDWfdRUfhHdY6+cn8HFRm+2hM8AnXGXws9555KrUB5qihylGa8subX2Nn6UwNR1AkUTV74bU=",
        20326, "E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D")]
    [TestCase("AwEAAa96jeuknZlaeSrvyAJj6ZHv28hhOKkx3rLGXVaC6rXTsDc449/cidltpkyGwCJNnOAlFNKF2jBosZBU5eeHspaQWOmOElZsjICMQMC3aeHbGiShvZsx4wMYSjH8e7Vrhbu6irwCzVBApESjbUdpWWmEnhathWu1jo+siFUiRAAxm9qyJNg/wOZqqzL/dL/q8PkcRU5oUKEpUge71M3ej2/7CPqpdVwuMoTvoB+ZOT4YeGyxMvHmbrxlFzGOHOijtzN+u1TQNatX2XBuzZNQ1K+s2CXkPIZo7s6JgZyvaBevYtxPvYLw4z9mR7K2vaF18UYH9Z9GNUUeayffKC73PYc=",
        38696, "683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16")]
    public void Root_key_signing_keys_have_their_published_key_tag_and_ds_digest(string publicKey, int keyTag, string digest)
    {
        var key = (DnskeyRecordData)Parse($". IN DNSKEY 257 3 8 {publicKey}").Data;
        Assert.That(key.KeyTag, Is.EqualTo(keyTag));
        Assert.That(Convert.ToHexString(DsDigest.Compute(DnsName.Root, key, DnssecAlgorithm.DigestSha256)!), Is.EqualTo(digest));
        var ds = new DsRecordData((ushort)keyTag, 8, 2, Convert.FromHexString(digest));
        Assert.That(DsDigest.Matches(ds, DnsName.Root, key), Is.True);
        Assert.That(DsDigest.Matches(new DsRecordData((ushort)keyTag, 8, 2, new byte[32]), DnsName.Root, key), Is.False);
        Assert.That(DsDigest.Compute(DnsName.Root, key, DnssecAlgorithm.DigestSha384), Has.Length.EqualTo(48));
    }

    [Test]
    public void Names_inside_rdata_are_lower_cased_for_the_rfc_4034_types_but_not_nsec_next_name()
    {
        Assert.That(CanonicalForm.Rdata(Parse("a.example. IN CNAME Target.EXAMPLE.")), Is.EqualTo(DnsName.Parse("target.example.").Wire.ToArray()));
        var mx = CanonicalForm.Rdata(Parse("a.example. IN MX 10 Mail.Example."));
        Assert.That(mx[2..], Is.EqualTo(DnsName.Parse("mail.example.").Wire.ToArray()));
        var soa = CanonicalForm.Rdata(Parse("example. IN SOA NS.example. Admin.Example. 1 2 3 4 5"));
        Assert.That(soa[..27], Is.EqualTo(DnsName.Parse("ns.example.").Wire.ToArray().Concat(DnsName.Parse("admin.example.").Wire.ToArray()).ToArray()));
        // RFC 6840 §5.1: NSEC's next domain name keeps its case.
        var nsec = CanonicalForm.Rdata(Parse("a.example. IN NSEC B.example. A"));
        Assert.That(nsec[..11], Is.EqualTo(DnsName.Parse("B.example.").Wire.ToArray()));
    }

    [Test]
    public void Signed_owner_of_a_wildcard_expansion_is_the_star_name()
    {
        Assert.That(CanonicalForm.SignedOwner(DnsName.Parse("A.B.Example."), 1), Is.EqualTo(DnsName.Parse("*.example.").Wire.ToArray()));
        Assert.That(CanonicalForm.SignedOwner(DnsName.Parse("A.B.Example."), 3), Is.EqualTo(DnsName.Parse("a.b.example.").Wire.ToArray()));
        Assert.That(CanonicalForm.CountLabels(DnsName.Parse("*.example.")), Is.EqualTo(1));
    }
}
