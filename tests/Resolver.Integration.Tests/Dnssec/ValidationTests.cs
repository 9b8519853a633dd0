using System.Diagnostics;
using Resolver.Integration.Tests.Infrastructure;
using Resolver.Protocol;
using Resolver.Protocol.Edns;

namespace Resolver.Integration.Tests.Dnssec;

/// <summary>
/// DNSSEC validation end to end: Resolver forwards to a real signed tree (knotd on loopback,
/// zones signed at run time by dnssec-signzone) with the tree's root DS as its trust anchor.
/// </summary>
[NonParallelizable]
public class ValidationTests
{
    private SignedTree _tree = null!;
    private ResolverUnderTest _resolver = null!;
    private ValidatingUnbound? _unbound;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _tree = await SignedTree.StartAsync();
        _resolver = await ResolverUnderTest.StartAsync(null, [_tree.Upstream],
            ("Dnssec:Validate", "true"), ("Dnssec:TrustAnchorFile", _tree.TrustAnchorFile));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_resolver is not null)
            await _resolver.DisposeAsync();
        _unbound?.Dispose();
        _tree?.Dispose();
    }

    private async Task<DnsMessage> AskAsync(string name, RecordType type, bool checkingDisabled = false, bool dnssecOk = true)
    {
        var query = RawDns.Query(name, type, edns: true, dnssecOk: dnssecOk);
        query.CheckingDisabled = checkingDisabled;
        return await _resolver.AskTcpAsync(query);
    }

    private static ushort? Ede(DnsMessage reply) =>
        reply.Edns?.Options.OfType<ExtendedErrorOption>().FirstOrDefault()?.InfoCode;

    private void AssertSecure(DnsMessage reply, DnsResponseCode rcode = DnsResponseCode.NoError)
    {
        Assert.That(reply.ResponseCode, Is.EqualTo(rcode), RawDns.Describe(reply) + "\n" + _resolver.Logs);
        Assert.That(reply.AuthenticData, Is.True, "AD: " + RawDns.Describe(reply));
    }

    [TestCase("www.secure.test.", RecordType.A)]
    [TestCase("www.secure.test.", RecordType.AAAA)]
    [TestCase("any.wild.secure.test.", RecordType.A)]
    [TestCase("alias.secure.test.", RecordType.A)]
    [TestCase("www.ecdsa.test.", RecordType.A)]
    [TestCase("www.ed.test.", RecordType.A)]
    [TestCase("www.nsec3.test.", RecordType.AAAA)]
    public async Task Secure_answer_gets_ad(string name, RecordType type)
    {
        var reply = await AskAsync(name, type);
        AssertSecure(reply);
        Assert.That(reply.Answers.Any(r => r.Type == type), Is.True, RawDns.Describe(reply));
    }

    [Test]
    public async Task Wildcard_answer_to_a_do_client_carries_the_nsec_that_proves_no_closer_name_and_plain_clients_get_none()
    {
        // RFC 4035 §3.1.3.3: a validating client needs the proof as much as we do; from upstream and from the cache alike.
        foreach (var reply in new[] { await AskAsync("proof.wild.secure.test.", RecordType.A), await AskAsync("proof.wild.secure.test.", RecordType.A) })
        {
            AssertSecure(reply);
            Assert.That(reply.Authorities.Any(r => r.Type == RecordType.NSEC), Is.True, RawDns.Describe(reply));
            Assert.That(reply.Authorities.Any(r => r.Data is Resolver.Protocol.Records.RrsigRecordData { TypeCovered: RecordType.NSEC }), Is.True,
                RawDns.Describe(reply));
        }
        var plain = await AskAsync("proof.wild.secure.test.", RecordType.A, dnssecOk: false);
        Assert.That(plain.Authorities, Is.Empty, RawDns.Describe(plain));
    }

    [Test]
    public async Task Secure_answer_without_do_gets_ad_when_asked_with_ad_and_carries_no_rrsig()
    {
        var query = RawDns.Query("www.secure.test.", RecordType.A, edns: true, dnssecOk: false);
        query.AuthenticData = true;
        var reply = await _resolver.AskTcpAsync(query);
        AssertSecure(reply);
        Assert.That(reply.Answers.Any(r => r.Type == RecordType.RRSIG), Is.False, RawDns.Describe(reply));
        var plain = await _resolver.AskTcpAsync(RawDns.Query("www.secure.test.", RecordType.A, edns: true));
        Assert.That(plain.AuthenticData, Is.False, "AD only for DO or AD queries (RFC 4035 §3.2.3)");
    }

    [TestCase("nope.secure.test.", RecordType.A, DnsResponseCode.NXDomain)]
    [TestCase("www.secure.test.", RecordType.MX, DnsResponseCode.NoError)]
    [TestCase("nope.nsec3.test.", RecordType.A, DnsResponseCode.NXDomain)]
    [TestCase("www.nsec3.test.", RecordType.MX, DnsResponseCode.NoError)]
    public async Task Denial_proven_by_nsec_or_nsec3_gets_ad(string name, RecordType type, DnsResponseCode rcode)
    {
        var reply = await AskAsync(name, type);
        AssertSecure(reply, rcode);
        Assert.That(reply.Answers, Is.Empty);
    }

    [Test]
    public async Task Insecure_delegation_answers_without_ad_and_without_servfail()
    {
        var reply = await AskAsync("www.insecure.test.", RecordType.A);
        Assert.That(reply.ResponseCode, Is.EqualTo(DnsResponseCode.NoError), RawDns.Describe(reply) + "\n" + _resolver.Logs);
        Assert.That(reply.AuthenticData, Is.False);
        Assert.That(reply.Answers.Any(r => r.Type == RecordType.A), Is.True);
    }

    [TestCase("forged.secure.test.", RecordType.A, ExtendedErrorCode.DnssecBogus)]
    [TestCase("www.expired.test.", RecordType.A, ExtendedErrorCode.SignatureExpired)]
    [TestCase("www.future.test.", RecordType.A, ExtendedErrorCode.SignatureNotYetValid)]
    [TestCase("www.wrongds.test.", RecordType.A, ExtendedErrorCode.DnskeyMissing)]
    [TestCase("nosig.secure.test.", RecordType.A, ExtendedErrorCode.RrsigsMissing)]
    [TestCase("nope.nonsec.test.", RecordType.A, ExtendedErrorCode.NsecMissing)]
    public async Task Bogus_answer_is_servfail_with_its_extended_error_and_cd_gets_the_data(string name, RecordType type, ExtendedErrorCode code)
    {
        var reply = await AskAsync(name, type);
        Assert.That(reply.ResponseCode, Is.EqualTo(DnsResponseCode.ServFail), RawDns.Describe(reply));
        Assert.That(Ede(reply), Is.EqualTo((ushort)code), RawDns.Describe(reply) + "\n" + _resolver.Logs);
        Assert.That(_resolver.Logs.ToString(), Does.Contain("DNSSEC bogus answer for " + name));

        // Cached briefly (RFC 4035 §4.7): the same EDE again, from the cache.
        var again = await AskAsync(name, type);
        Assert.That(Ede(again), Is.EqualTo((ushort)code), RawDns.Describe(again));

        // RFC 4035 §3.2.2: CD=1 gets the data unvalidated.
        var unchecked_ = await AskAsync(name, type, checkingDisabled: true);
        Assert.That(unchecked_.ResponseCode, Is.Not.EqualTo(DnsResponseCode.ServFail), RawDns.Describe(unchecked_));
        Assert.That(unchecked_.AuthenticData, Is.False);
    }

    [TestCase("www.secure.test.", RecordType.A)]
    [TestCase("any.wild.secure.test.", RecordType.A)]
    [TestCase("www.ed.test.", RecordType.A)]
    [TestCase("nope.nsec3.test.", RecordType.A)]
    [TestCase("www.insecure.test.", RecordType.A)]
    [TestCase("forged.secure.test.", RecordType.A)]
    [TestCase("www.expired.test.", RecordType.A)]
    [TestCase("www.wrongds.test.", RecordType.A)]
    [TestCase("nosig.secure.test.", RecordType.A)]
    public async Task Delv_reaches_the_same_verdict(string name, RecordType type)
    {
        string delv = RequiredTool.Find("delv", "bind9-dnsutils");
        var reply = await AskAsync(name, type);
        string ours = reply.ResponseCode == DnsResponseCode.ServFail ? "bogus" : reply.AuthenticData ? "secure" : "insecure";
        // delv validates from the same anchor, asking knotd directly (+root: no built-in root key).
        string anchor = Path.Combine(_tree.Folder, "delv.anchor");
        var ds = File.ReadAllText(_tree.TrustAnchorFile).Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
        File.WriteAllText(anchor, $"trust-anchors {{ . static-ds {ds[3]} {ds[4]} {ds[5]} \"{ds[6]}\"; }};\n");
        using var process = Process.Start(new ProcessStartInfo(delv, ["@127.0.0.1", "-p", _tree.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-a", anchor, "+root=.", name, type.ToString()]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        Assert.That(process.WaitForExit(20_000), Is.True, "delv did not finish");
        string text = await output + await errors;
        string theirs = text.Contains("fully validated") ? "secure" : text.Contains("unsigned answer") ? "insecure" : "bogus";
        Assert.That(ours, Is.EqualTo(theirs), text);
    }

    [TestCase("www.secure.test.", RecordType.A)]
    [TestCase("any.wild.secure.test.", RecordType.A)]
    [TestCase("alias.secure.test.", RecordType.A)]
    [TestCase("www.ecdsa.test.", RecordType.A)]
    [TestCase("www.ed.test.", RecordType.A)]
    [TestCase("www.nsec3.test.", RecordType.AAAA)]
    [TestCase("nope.secure.test.", RecordType.A)]
    [TestCase("www.secure.test.", RecordType.MX)]
    [TestCase("nope.nsec3.test.", RecordType.A)]
    [TestCase("www.nsec3.test.", RecordType.MX)]
    [TestCase("www.insecure.test.", RecordType.A)]
    [TestCase("forged.secure.test.", RecordType.A)]
    [TestCase("www.expired.test.", RecordType.A)]
    [TestCase("www.future.test.", RecordType.A)]
    [TestCase("www.wrongds.test.", RecordType.A)]
    [TestCase("nosig.secure.test.", RecordType.A)]
    [TestCase("nope.nonsec.test.", RecordType.A)]
    public async Task Unbound_validating_forwarder_reaches_the_same_verdict(string name, RecordType type)
    {
        // The same anchor, the same upstream, Unbound's "validator iterator" as the reference: RCODE and AD must agree.
        _unbound ??= await ValidatingUnbound.StartAsync(_tree);
        var ours = await AskAsync(name, type);
        var theirs = await RawDns.AskUdpAsync(_unbound.Endpoint, RawDns.Query(name, type, edns: true, dnssecOk: true), TimeSpan.FromSeconds(5));
        Assert.That((ours.ResponseCode, ours.AuthenticData), Is.EqualTo((theirs.ResponseCode, theirs.AuthenticData)),
            $"ours: {RawDns.Describe(ours)}\nunbound: {RawDns.Describe(theirs)}");
    }
}

public class ShippedTrustAnchorTests
{
    [Test]
    public void Shipped_root_anchors_are_ksk_2017_and_ksk_2024()
    {
        var anchors = Resolver.Core.Dnssec.TrustAnchors.Load(Path.Combine(RepositoryPaths.RepositoryRoot, "trust-anchors", "root.ds"));
        var tags = anchors.For(DnsName.Root).Select(r => ((Resolver.Protocol.Records.DsRecordData)r.Data).KeyTag).ToArray();
        Assert.That(tags, Is.EquivalentTo(new ushort[] { 20326, 38696 }));
    }

    [Test]
    public async Task Validation_with_a_missing_anchor_file_stops_the_start_with_its_name()
    {
        var error = Assert.CatchAsync(async () => await ResolverUnderTest.StartAsync(null, [],
            ("Dnssec:Validate", "true"), ("Dnssec:TrustAnchorFile", "/nonexistent/anchors.ds")));
        Assert.That(error!.ToString(), Does.Contain("/nonexistent/anchors.ds"));
        await Task.CompletedTask;
    }
}
