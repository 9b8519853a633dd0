namespace Resolver.Protocol.Tests.Captures;

/// <summary>
/// Every message knotd, dig, kdig and nslookup exchanged (tests/captures/) goes through the
/// codec: it parses, re-encodes to the same fields, and the allocation-free query reader
/// agrees with the full parse.
/// </summary>
public class CaptureRoundTripTests
{
    [Test]
    public void Every_captured_message_parses()
    {
        var failures = new List<string>();
        foreach (var message in CaptureCorpus.Messages)
        {
            try
            {
                DnsMessage.Parse(message.Payload);
            }
            catch (DnsFormatException error)
            {
                failures.Add($"{error.Message}: {message}");
            }
        }
        Assert.That(failures, Is.Empty);
        Assert.That(CaptureCorpus.Messages, Has.Count.GreaterThan(500), "all shipped captures were read");
    }

    [Test]
    public void Every_captured_message_reencodes_to_the_same_header_and_records()
    {
        int sameLength = 0;
        foreach (var message in CaptureCorpus.Messages)
        {
            var parsed = DnsMessage.Parse(message.Payload);
            byte[] reencoded = parsed.ToArray();
            var reparsed = DnsMessage.Parse(reencoded);

            Assert.That(CapturedMessageText.Describe(reparsed), Is.EqualTo(CapturedMessageText.Describe(parsed)), message.ToString());
            Assert.That(reencoded.AsSpan(0, DnsHeader.Size).ToArray(), Is.EqualTo(message.Payload.AsSpan(0, DnsHeader.Size).ToArray()),
                "header octets, counts included: " + message);
            // Lengths may differ either way: knotd points into uncompressed RDATA names (SRV's
            // target) and compresses across letter case; this writer does neither.
            if (reencoded.Length == message.Payload.Length)
            {
                sameLength++;
                Assert.That(Convert.ToHexString(reencoded), Is.EqualTo(Convert.ToHexString(message.Payload)), "same length, so same octets: " + message);
            }
        }
        TestContext.Out.WriteLine($"{sameLength} of {CaptureCorpus.Messages.Count} messages re-encoded to the same length (and octets)");
        // Queries carry one name and nothing to compress: they at least must come back octet for octet.
        Assert.That(sameLength, Is.GreaterThanOrEqualTo(CountQueries()), "messages re-encoded byte-identically");
    }

    [Test]
    public void Every_captured_query_reencodes_byte_identically()
    {
        foreach (var message in CaptureCorpus.Messages)
        {
            if (message.Captured.IsResponse)
                continue;
            Assert.That(Convert.ToHexString(DnsMessage.Parse(message.Payload).ToArray()), Is.EqualTo(Convert.ToHexString(message.Payload)), message.ToString());
        }
    }

    [Test]
    public void Query_reader_agrees_with_the_full_parse_on_every_captured_message()
    {
        Span<byte> nameBuffer = stackalloc byte[255];
        foreach (var message in CaptureCorpus.Messages)
        {
            var parsed = DnsMessage.Parse(message.Payload);
            var info = QueryReader.Read(message.Payload, nameBuffer);
            string context = message.ToString();

            Assert.That(info.Header, Is.EqualTo(DnsHeader.Read(message.Payload)), context);
            Assert.That(info.Header.Id, Is.EqualTo(parsed.Id), context);
            var question = parsed.Question!;
            Assert.That(Convert.ToHexString(nameBuffer[..info.NameLength]), Is.EqualTo(Convert.ToHexString(question.Name.Wire)), "name, case included: " + context);
            Assert.That(info.Type, Is.EqualTo(question.Type), context);
            Assert.That(info.Class, Is.EqualTo(question.Class), context);
            Assert.That(message.Payload.AsSpan(info.QuestionOffset, info.QuestionLength).ToArray(),
                Is.EqualTo(message.Payload.AsSpan(12, question.Name.WireLength + 4).ToArray()), "question span: " + context);
            Assert.That(info.Edns.Present, Is.EqualTo(parsed.Edns is not null), "EDNS presence: " + context);
            if (parsed.Edns is { } edns)
            {
                Assert.That(info.Edns.UdpPayloadSize, Is.EqualTo(edns.UdpPayloadSize), context);
                Assert.That(info.Edns.DnssecOk, Is.EqualTo(edns.DnssecOk), context);
                Assert.That(info.Edns.Version, Is.EqualTo(edns.Version), context);
            }
        }
    }

    [Test]
    public void Captures_hold_queries_with_and_without_edns_and_with_do()
    {
        // Guards the agreement test above against a corpus that would not exercise EDNS.
        int withEdns = 0, withDo = 0, withoutEdns = 0;
        foreach (var message in CaptureCorpus.Messages)
        {
            var parsed = DnsMessage.Parse(message.Payload);
            if (parsed.IsResponse)
                continue;
            if (parsed.Edns is null)
                withoutEdns++;
            else if (parsed.Edns.DnssecOk)
                withDo++;
            else
                withEdns++;
        }
        Assert.That(new[] { withEdns, withDo, withoutEdns }, Has.All.GreaterThan(10));
    }

    private static int CountQueries()
    {
        int queries = 0;
        foreach (var message in CaptureCorpus.Messages)
        {
            if (!message.Captured.IsResponse)
                queries++;
        }
        return queries;
    }
}
