using Resolver.Core.Dnssec;
using Resolver.Protocol;
using Resolver.Protocol.Records;

namespace Resolver.Core.Tests.Dnssec;

public class ChainOfTrustTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    // The root's DNSKEY RRset signed by its own key, as an upstream would answer "., DNSKEY" with DO=1.
    private static DnsMessage SignedRootKeys(TestZoneKey key)
    {
        var data = key.Key;
        byte[] rdata = [(byte)(data.Flags >> 8), (byte)data.Flags, data.Protocol, data.Algorithm, .. data.PublicKey];
        var rrsig = key.Sign(DnsName.Root, RecordType.DNSKEY, 3600, [rdata], 0, Now.AddHours(-1), Now.AddDays(1));
        var reply = new DnsMessage { Id = 1, IsResponse = true };
        reply.Answers.Add(key.KeyRecord);
        reply.Answers.Add(new DnsRecord(DnsName.Root, RecordType.RRSIG, RecordClass.IN, 3600, rrsig));
        return reply;
    }

    private static TrustAnchors AnchorFor(TestZoneKey key)
    {
        var ds = key.Ds();
        string file = Path.GetTempFileName();
        File.WriteAllText(file, $". IN DS {ds.KeyTag} {ds.Algorithm} {ds.DigestType} {Convert.ToHexString(ds.Digest)}\n");
        try
        {
            return TrustAnchors.Load(file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public async Task Validated_keys_are_kept_until_the_response_cache_is_flushed()
    {
        using var key = new TestZoneKey(DnsName.Root, DnssecAlgorithm.EcdsaP256Sha256);
        long generation = 0;
        int fetches = 0;
        var chain = new ChainOfTrust(AnchorFor(key), new DnssecOptions(), TimeProvider.System, () => generation);
        DnssecFetch fetch = (name, type) =>
        {
            fetches++;
            return Task.FromResult<DnsMessage?>(SignedRootKeys(key));
        };

        var first = await chain.FindZoneAsync(DnsName.Root, fetch);
        var second = await chain.FindZoneAsync(DnsName.Root, fetch);
        Assert.That(first!.IsSecure && second!.IsSecure, Is.True);
        Assert.That(fetches, Is.EqualTo(1), "the second walk uses the kept keys");

        generation++; // a flush of the response cache
        var afterFlush = await chain.FindZoneAsync(DnsName.Root, fetch);
        Assert.That(afterFlush!.IsSecure, Is.True);
        Assert.That(fetches, Is.EqualTo(2), "after a flush the keys are fetched and checked again");
    }
}
