using Resolver.Core.Dnssec;
using Resolver.Protocol;
using Resolver.Protocol.Records;
using Resolver.Protocol.Text;

namespace Resolver.Core.Tests.Dnssec;

public class DenialTests
{
    private static DnsName N(string name) => DnsName.Parse(name);

    private static ProvenRecord<NsecRecordData> Nsec(string owner, string next, params RecordType[] types) =>
        new(N(owner), new NsecRecordData(N(next), new TypeBitmap(types)));

    // example. -> a. -> c. -> x.y. (y.example. is an empty non-terminal) -> back to the apex.
    private static List<ProvenRecord<NsecRecordData>> NsecZone() =>
    [
        Nsec("example.", "a.example.", RecordType.SOA, RecordType.NS, RecordType.NSEC),
        Nsec("a.example.", "c.example.", RecordType.A, RecordType.NSEC),
        Nsec("c.example.", "x.y.example.", RecordType.NS, RecordType.NSEC), // a delegation
        Nsec("x.y.example.", "example.", RecordType.AAAA, RecordType.NSEC),
    ];

    [Test]
    public void Canonical_order_follows_rfc_4034_section_6_1()
    {
        // RFC 4034 §6.1's example order.
        string[] ordered = ["example.", "a.example.", "yljkjljk.a.example.", "Z.a.example.", "zABC.a.EXAMPLE.", "z.example.", "\\001.z.example.", "*.z.example.", "\\200.z.example."];
        for (int i = 1; i < ordered.Length; i++)
            Assert.That(CanonicalNameOrder.Instance.Compare(N(ordered[i - 1]), N(ordered[i])), Is.LessThan(0), ordered[i - 1] + " < " + ordered[i]);
    }

    [Test]
    public void Nsec_proves_nxdomain_only_with_the_wildcard_covered_too()
    {
        var zone = NsecZone();
        Assert.That(NsecDenial.ProveNameError(zone, N("b.example.")), Is.EqualTo(DenialResult.Proven));
        Assert.That(NsecDenial.ProveNameError(zone, N("zz.example.")), Is.EqualTo(DenialResult.Proven), "the last NSEC wraps to the apex");
        // Without the apex NSEC nothing covers *.example.
        Assert.That(NsecDenial.ProveNameError(zone.Skip(1).ToList(), N("b.example.")), Is.EqualTo(DenialResult.NotProven));
        Assert.That(NsecDenial.ProveNameError(zone, N("a.example.")), Is.EqualTo(DenialResult.NotProven), "a name that exists");
    }

    [Test]
    public void Nsec_proves_nodata_from_the_names_own_bitmap_and_for_an_empty_non_terminal()
    {
        var zone = NsecZone();
        Assert.That(NsecDenial.ProveNoData(zone, N("a.example."), RecordType.MX), Is.EqualTo(DenialResult.Proven));
        Assert.That(NsecDenial.ProveNoData(zone, N("a.example."), RecordType.A), Is.EqualTo(DenialResult.NotProven));
        Assert.That(NsecDenial.ProveNoData(zone, N("y.example."), RecordType.A), Is.EqualTo(DenialResult.Proven));
        // RFC 4035 §5.4: the parent's NSEC at a delegation denies DS, nothing else.
        Assert.That(NsecDenial.ProveNoData(zone, N("c.example."), RecordType.DS), Is.EqualTo(DenialResult.Proven));
        Assert.That(NsecDenial.ProveNoData(zone, N("c.example."), RecordType.A), Is.EqualTo(DenialResult.NotProven));
        Assert.That(NsecDenial.ProveNoCloserMatch(zone, N("b.example.")), Is.EqualTo(DenialResult.Proven));
        Assert.That(NsecDenial.ProveNoCloserMatch(zone, N("a.example.")), Is.EqualTo(DenialResult.NotProven));
    }

    private static readonly byte[] Salt = Convert.FromHexString("AABBCCDD");

    private static ProvenRecord<Nsec3RecordData> Nsec3(string name, string next, bool optOut = false, ushort iterations = 12, params RecordType[] types)
    {
        string Hash(string n) => Base32HexText.Encode(Nsec3Hash.Compute(N(n), Salt, iterations)).ToLowerInvariant();
        var nextHash = Nsec3Hash.Compute(N(next), Salt, iterations);
        return new(N(Hash(name) + ".example."), new Nsec3RecordData(1, (byte)(optOut ? 1 : 0), iterations, Salt, nextHash, new TypeBitmap(types)));
    }

    [Test]
    public void Nsec3_hash_matches_rfc_5155_appendix_a()
    {
        Assert.That(Base32HexText.Encode(Nsec3Hash.Compute(N("example."), Salt, 12)).ToLowerInvariant(), Is.EqualTo("0p9mhaveqvm6t7vbl5lop2u3t2rp3tom"));
        Assert.That(Base32HexText.Encode(Nsec3Hash.Compute(N("A.Example."), Salt, 12)).ToLowerInvariant(), Is.EqualTo("35mthgpgcu1qg68fab165klnsnk3dpvl"));
    }

    // Hash order: example. (0p9m...) -> a.example. (35mt...) -> back.
    [Test]
    public void Nsec3_closest_encloser_proof_gives_nxdomain_nodata_and_opt_out()
    {
        var apex = Nsec3("example.", "a.example.", types: [RecordType.SOA, RecordType.NS]);
        var a = Nsec3("a.example.", "example.", types: [RecordType.A]);
        var proof = new Nsec3Denial([apex, a]);
        Assert.That(proof.ProveNameError(N("xx.example.")), Is.EqualTo(DenialResult.Proven));
        Assert.That(proof.ProveNoData(N("a.example."), RecordType.MX), Is.EqualTo(DenialResult.Proven));
        Assert.That(proof.ProveNoData(N("a.example."), RecordType.A), Is.EqualTo(DenialResult.NotProven));
        Assert.That(proof.ProveNameError(N("a.example.")), Is.EqualTo(DenialResult.NotProven));
        Assert.That(proof.ProveNoCloserMatch(N("xx.example."), 1), Is.EqualTo(DenialResult.Proven));
        // Without the closest encloser's own NSEC3 there is no proof.
        Assert.That(new Nsec3Denial([a]).ProveNameError(N("xx.example.")), Is.EqualTo(DenialResult.NotProven));

        var optOut = Nsec3("a.example.", "example.", optOut: true, types: [RecordType.A]);
        Assert.That(new Nsec3Denial([apex, optOut]).ProveNoData(N("b.example."), RecordType.DS), Is.EqualTo(DenialResult.Insecure));
        Assert.That(new Nsec3Denial([apex, a]).ProveNoData(N("b.example."), RecordType.DS), Is.EqualTo(DenialResult.NotProven));
    }

    [Test]
    public void Nsec3_with_more_than_100_iterations_is_insecure()
    {
        var apex = Nsec3("example.", "a.example.", iterations: 101, types: [RecordType.SOA]);
        Assert.That(new Nsec3Denial([apex]).ProveNameError(N("xx.example.")), Is.EqualTo(DenialResult.Insecure));
        var fine = Nsec3("example.", "a.example.", iterations: 100, types: [RecordType.SOA]);
        Assert.That(new Nsec3Denial([fine]).TooCostly, Is.False);
    }
}
