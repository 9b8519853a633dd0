using Resolver.Protocol.Text;

namespace Resolver.Protocol.Tests.Captures;

/// <summary>
/// Every record answered in the captures (knotd directly, AXFR included, and unbound's cached
/// replays) is in tests/zones/capture-test.zone as <see cref="MasterFileReader"/> reads it: the
/// wire parser and the master-file reader must produce the same text for the same data, for
/// every record type in the zone. Letter case is ignored (knotd lower-cases owners and
/// compresses RDATA names onto the client's question case, RFC 4343); TTLs may only be lower
/// than the zone's (a cache counts them down, RFC 1035 §3.2.1).
/// </summary>
public class CaptureZoneFileTests
{
    private static readonly DnsName Origin = DnsName.Parse("capture.test.");

    [Test]
    public void Every_captured_answer_record_is_in_the_zone_file()
    {
        var zone = ZoneRecordTexts();
        var missing = new List<string>();
        int checkedRecords = 0;
        foreach (var source in CaptureCorpus.Messages)
        {
            if (!source.Captured.IsResponse)
                continue;
            var message = DnsMessage.Parse(source.Payload);
            foreach (var record in message.Answers)
            {
                if (IsSynthesized(record, message))
                    continue;
                checkedRecords++;
                string key = Key(record);
                bool found = zone.TryGetValue(key, out uint zoneTtl) && record.Ttl <= zoneTtl;
                if (!found && missing.Count < 20)
                    missing.Add(record + "    from " + source.Capture + " frame " + source.Captured.FrameIndex);
            }
        }
        Assert.That(missing, Is.Empty);
        Assert.That(checkedRecords, Is.GreaterThan(500));
    }

    [Test]
    public void Axfr_carries_every_record_of_the_zone_file()
    {
        var zone = ZoneRecordTexts();
        int transfers = 0;
        foreach (var source in CaptureCorpus.From("axfr.pcap"))
        {
            if (!source.Captured.IsResponse)
                continue;
            transfers++;
            var transferred = new HashSet<string>(StringComparer.Ordinal);
            foreach (var record in DnsMessage.Parse(source.Payload).Answers)
            {
                transferred.Add(Key(record));
                Assert.That(record.Ttl, Is.EqualTo(zone[Key(record)]), record.ToString());
            }
            Assert.That(transferred, Is.EquivalentTo(zone.Keys), source.Capture + " frame " + source.Captured.FrameIndex);
        }
        Assert.That(transfers, Is.EqualTo(2), "dig and kdig each transferred the zone");
    }

    /// <summary>The zone's records by <see cref="Key"/>, with their TTLs.</summary>
    private static Dictionary<string, uint> ZoneRecordTexts()
    {
        string path = Path.Combine(TestContext.CurrentContext.TestDirectory, "zones", "capture-test.zone");
        var records = MasterFileReader.Read(File.ReadAllText(path), "capture-test.zone", Origin);
        var texts = new Dictionary<string, uint>(StringComparer.Ordinal);
        foreach (var record in records)
            texts[Key(record)] = record.Ttl;
        Assert.That(texts, Has.Count.EqualTo(records.Count), "no duplicate records in the zone file");
        return texts;
    }

    /// <summary>The record as dig prints it without its TTL, lower-cased.</summary>
    private static string Key(DnsRecord record) => (record with { Ttl = 0 }).ToString().ToLowerInvariant();

    /// <summary>
    /// Records the server made up rather than stored: CNAMEs synthesized from a DNAME in the
    /// same answer (RFC 6672 §3.1) and wildcard expansions (RFC 4592 §3.3.1).
    /// </summary>
    private static bool IsSynthesized(DnsRecord record, DnsMessage message)
    {
        if (record.Type == RecordType.CNAME)
        {
            foreach (var other in message.Answers)
            {
                if (other.Type == RecordType.DNAME && record.Name.IsSubdomainOf(other.Name) && record.Name != other.Name)
                    return true;
            }
        }
        return record.Name.IsSubdomainOf(DnsName.Parse("wild.capture.test.")) && record.Name != DnsName.Parse("wild.capture.test.");
    }
}
