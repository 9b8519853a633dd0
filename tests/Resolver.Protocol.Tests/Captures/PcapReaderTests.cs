namespace Resolver.Protocol.Tests.Captures;

/// <summary>
/// The shipped captures (tests/captures/, recorded by scripts/capture-packets.sh
/// against knotd serving tests/zones/capture-test.zone) read back as the DNS
/// messages the clients and the server exchanged. Only header and question
/// bytes are looked at: the codec is tested elsewhere.
/// </summary>
public class PcapReaderTests
{
    private static readonly string[] ShippedCaptures =
    [
        "dig-udp.pcap", "dig-tcp.pcap", "kdig.pcap", "nslookup.pcap", "truncation.pcap", "mixed-case.pcap", "axfr.pcap",
    ];

    [TestCaseSource(nameof(ShippedCaptures))]
    public void Every_shipped_capture_yields_dns_messages_with_a_full_header(string capture)
    {
        var messages = PcapReader.ReadCapture(capture);

        Assert.That(messages, Is.Not.Empty, capture);
        foreach (var message in messages)
        {
            Assert.That(message.Payload, Has.Length.GreaterThanOrEqualTo(CapturedDnsMessage.HeaderLength), message.ToString());
        }
    }

    [TestCaseSource(nameof(ShippedCaptures))]
    public void Every_response_answers_an_earlier_query_with_its_id_on_the_reversed_endpoints(string capture)
    {
        var messages = PcapReader.ReadCapture(capture);

        for (int i = 0; i < messages.Count; i++)
        {
            if (messages[i].IsResponse)
            {
                Assert.That(FindQueryBefore(messages, i), Is.GreaterThanOrEqualTo(0), $"no query for response {messages[i]}");
            }
        }
    }

    [Test]
    public void Dig_over_udp_sends_one_datagram_per_query_and_gets_one_response_each()
    {
        var messages = PcapReader.ReadCapture("dig-udp.pcap");
        int expected = CapturedQuery.ForCapture("dig-udp.pcap").Count;

        Assert.That(messages, Has.All.Property(nameof(CapturedDnsMessage.Transport)).EqualTo(CapturedTransport.Udp));
        Assert.That(Count(messages, response: false), Is.EqualTo(expected));
        Assert.That(Count(messages, response: true), Is.EqualTo(expected));
    }

    [Test]
    public void Dig_over_tcp_streams_split_into_one_query_and_one_response_per_query()
    {
        var messages = PcapReader.ReadCapture("dig-tcp.pcap");
        int expected = CapturedQuery.ForCapture("dig-tcp.pcap").Count;

        Assert.That(messages, Has.All.Property(nameof(CapturedDnsMessage.Transport)).EqualTo(CapturedTransport.Tcp));
        Assert.That(messages, Has.Count.EqualTo(2 * expected));
        Assert.That(Count(messages, response: true), Is.EqualTo(expected));
    }

    [Test]
    public void Three_queries_on_one_kept_open_tcp_connection_come_out_as_six_messages()
    {
        var messages = PcapReader.ReadCapture("dig-tcp.pcap");

        // dig +keepopen sent three queries on one connection: one client port, six messages.
        var byClientPort = new Dictionary<int, int>();
        foreach (var message in messages)
        {
            int clientPort = message.IsResponse ? message.Destination.Port : message.Source.Port;
            byClientPort[clientPort] = byClientPort.GetValueOrDefault(clientPort) + 1;
        }

        Assert.That(byClientPort.Values, Has.One.EqualTo(6));
        Assert.That(byClientPort.Values, Has.All.EqualTo(2).Or.EqualTo(6));
    }

    [Test]
    public void Kdig_capture_holds_both_transports_with_a_response_for_every_query()
    {
        var messages = PcapReader.ReadCapture("kdig.pcap");
        int expected = CapturedQuery.ForCapture("kdig.pcap").Count;

        Assert.That(messages, Has.Some.Property(nameof(CapturedDnsMessage.Transport)).EqualTo(CapturedTransport.Udp));
        Assert.That(messages, Has.Some.Property(nameof(CapturedDnsMessage.Transport)).EqualTo(CapturedTransport.Tcp));
        Assert.That(Count(messages, response: false), Is.EqualTo(expected));
        Assert.That(Count(messages, response: true), Is.EqualTo(expected));
    }

    [Test]
    public void Truncated_udp_responses_are_followed_by_a_tcp_response_to_the_same_question()
    {
        var messages = PcapReader.ReadCapture("truncation.pcap");
        int truncatedCount = 0;
        int retriesWithSameId = 0;

        for (int i = 0; i < messages.Count; i++)
        {
            var truncated = messages[i];
            if (truncated.Transport != CapturedTransport.Udp || !truncated.IsResponse || !truncated.IsTruncated)
            {
                continue;
            }

            truncatedCount++;
            var question = QuestionBytes(truncated.Payload);
            int retry = -1;
            for (int j = i + 1; j < messages.Count && retry < 0; j++)
            {
                var candidate = messages[j];
                if (candidate.Transport == CapturedTransport.Tcp && candidate.IsResponse && !candidate.IsTruncated
                    && QuestionBytes(candidate.Payload).SequenceEqual(question))
                {
                    retry = j;
                }
            }

            Assert.That(retry, Is.GreaterThan(i), $"no TCP retry answered after {truncated}");
            retriesWithSameId += messages[retry].MessageId == truncated.MessageId ? 1 : 0;
        }

        Assert.That(truncatedCount, Is.EqualTo(CapturedQuery.ForCapture("truncation.pcap").Count));
        // dig sends its TCP retry with a new ID; kdig keeps the ID of the truncated exchange.
        Assert.That(retriesWithSameId, Is.EqualTo(1));
    }

    [Test]
    public void Mixed_case_question_comes_back_in_the_case_it_was_asked()
    {
        var messages = PcapReader.ReadCapture("mixed-case.pcap");
        int mixedCaseResponses = 0;

        for (int i = 0; i < messages.Count; i++)
        {
            if (!messages[i].IsResponse)
            {
                continue;
            }

            var query = messages[FindQueryBefore(messages, i)];
            var asked = QuestionBytes(query.Payload);
            Assert.That(QuestionBytes(messages[i].Payload), Is.EqualTo(asked), messages[i].ToString());
            if (HasUpperCaseLetter(asked))
            {
                mixedCaseResponses++;
            }
        }

        Assert.That(mixedCaseResponses, Is.GreaterThanOrEqualTo(6));
    }

    [Test]
    public void Zone_transfer_runs_over_tcp_and_answers_each_axfr_query()
    {
        var messages = PcapReader.ReadCapture("axfr.pcap");

        Assert.That(messages, Has.All.Property(nameof(CapturedDnsMessage.Transport)).EqualTo(CapturedTransport.Tcp));
        Assert.That(Count(messages, response: false), Is.EqualTo(CapturedQuery.ForCapture("axfr.pcap").Count));
        Assert.That(Count(messages, response: true), Is.GreaterThanOrEqualTo(2));
        // The transfer carries the whole zone (~5 KB), well past one UDP answer.
        Assert.That(messages, Has.Some.Matches<CapturedDnsMessage>(m => m.IsResponse && m.Payload.Length > 4000));
    }

    private static int Count(IReadOnlyList<CapturedDnsMessage> messages, bool response)
    {
        int count = 0;
        foreach (var message in messages)
        {
            count += message.IsResponse == response ? 1 : 0;
        }

        return count;
    }

    /// <summary>Index of the query a response answers (same ID, endpoints reversed), or -1.</summary>
    private static int FindQueryBefore(IReadOnlyList<CapturedDnsMessage> messages, int responseIndex)
    {
        var response = messages[responseIndex];
        for (int i = responseIndex - 1; i >= 0; i--)
        {
            var query = messages[i];
            if (!query.IsResponse && query.Transport == response.Transport && query.MessageId == response.MessageId
                && query.Source.Equals(response.Destination) && query.Destination.Equals(response.Source))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The first question's bytes (QNAME, QTYPE, QCLASS; RFC 1035 4.1.2), read without a codec.</summary>
    private static byte[] QuestionBytes(byte[] message)
    {
        int offset = CapturedDnsMessage.HeaderLength;
        // Question names are never compressed: there is nothing before them to point at.
        while (message[offset] != 0)
        {
            offset += 1 + message[offset];
        }

        return message[CapturedDnsMessage.HeaderLength..(offset + 5)];
    }

    private static bool HasUpperCaseLetter(byte[] bytes)
    {
        foreach (byte b in bytes)
        {
            if (b is >= (byte)'A' and <= (byte)'Z')
            {
                return true;
            }
        }

        return false;
    }
}
