using System.Buffers.Binary;
using System.Net;

namespace Resolver.TestKit.Captures;

/// <summary>
/// Rebuilds each TCP flow's byte stream from captured segments, ordered by
/// sequence number with retransmitted and overlapping bytes taken once, then
/// cuts every stream into DNS messages by their 2-byte length prefix
/// (RFC 1035 4.2.2, RFC 7766 8). A flow is one direction of one connection;
/// a new SYN on the same address/port pair starts a new flow.
/// </summary>
public sealed class TcpStreamReassembler
{
    private readonly Dictionary<(IPEndPoint Source, IPEndPoint Destination), TcpFlow> _openFlows = new();
    private readonly List<TcpFlow> _flows = new();

    /// <summary>Adds one TCP segment (segments without payload only matter when they carry SYN).</summary>
    public void Add(TransportSegment segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        if (segment.Transport != CapturedTransport.Tcp)
        {
            throw new ArgumentException($"Not a TCP segment: frame {segment.FrameIndex}.", nameof(segment));
        }

        var key = (segment.Source, segment.Destination);
        bool known = _openFlows.TryGetValue(key, out var flow);
        // A SYN (first or retransmitted) opens a flow; a SYN with another ISN is a new connection.
        if (segment.IsSyn && (!known || flow!.InitialSequence != segment.SequenceNumber))
        {
            flow = new TcpFlow(segment.Source, segment.Destination, segment.SequenceNumber);
            _openFlows[key] = flow;
            _flows.Add(flow);
        }
        else if (!known)
        {
            // Capture started mid-connection: the flow begins at the lowest sequence seen.
            flow = new TcpFlow(segment.Source, segment.Destination, null);
            _openFlows[key] = flow;
            _flows.Add(flow);
        }

        if (segment.Payload.Length > 0)
        {
            // With SYN (TCP Fast Open) the data starts one past the SYN's sequence number.
            uint dataSequence = segment.IsSyn ? segment.SequenceNumber + 1 : segment.SequenceNumber;
            flow!.Segments.Add(new FlowSegment(dataSequence, segment.Payload, segment.FrameIndex, segment.Timestamp));
        }
    }

    /// <summary>
    /// Every complete DNS message in every flow, each flow's in stream order,
    /// flows in order of first appearance. Bytes after a gap in a stream, and a
    /// trailing message cut short by the end of the capture, are left out.
    /// </summary>
    public IReadOnlyList<CapturedDnsMessage> DnsMessages()
    {
        var messages = new List<CapturedDnsMessage>();
        foreach (var flow in _flows)
        {
            var stream = flow.Assemble();
            SplitByLengthPrefix(flow, stream, messages);
        }

        return messages;
    }

    /// <summary>The contiguous byte stream of each flow (for tests and diagnostics).</summary>
    public IReadOnlyList<byte[]> Streams()
    {
        var streams = new List<byte[]>(_flows.Count);
        foreach (var flow in _flows)
        {
            streams.Add(flow.Assemble().Bytes);
        }

        return streams;
    }

    private static void SplitByLengthPrefix(TcpFlow flow, AssembledStream stream, List<CapturedDnsMessage> messages)
    {
        byte[] bytes = stream.Bytes;
        int offset = 0;
        while (bytes.Length - offset >= 2)
        {
            int length = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(offset));
            int end = offset + 2 + length;
            if (end > bytes.Length)
            {
                break;
            }

            if (length > 0)
            {
                var (frameIndex, timestamp) = stream.FrameHolding(end - 1);
                messages.Add(new CapturedDnsMessage(
                    bytes.AsSpan(offset + 2, length).ToArray(),
                    CapturedTransport.Tcp,
                    flow.Source,
                    flow.Destination,
                    frameIndex,
                    timestamp));
            }

            offset = end;
        }
    }

    private sealed record FlowSegment(uint Sequence, byte[] Payload, int FrameIndex, DateTimeOffset Timestamp);

    /// <summary>A contiguous stream and, per chunk, the frame that supplied it.</summary>
    private sealed record AssembledStream(byte[] Bytes, List<(int End, int FrameIndex, DateTimeOffset Timestamp)> Chunks)
    {
        public (int FrameIndex, DateTimeOffset Timestamp) FrameHolding(int position)
        {
            foreach (var chunk in Chunks)
            {
                if (position < chunk.End)
                {
                    return (chunk.FrameIndex, chunk.Timestamp);
                }
            }

            throw new ArgumentOutOfRangeException(nameof(position));
        }
    }

    private sealed class TcpFlow(IPEndPoint source, IPEndPoint destination, uint? initialSequence)
    {
        public IPEndPoint Source { get; } = source;

        public IPEndPoint Destination { get; } = destination;

        /// <summary>The SYN's sequence number, when the SYN was captured.</summary>
        public uint? InitialSequence { get; } = initialSequence;

        public List<FlowSegment> Segments { get; } = new();

        public AssembledStream Assemble()
        {
            var chunks = new List<(int End, int FrameIndex, DateTimeOffset Timestamp)>();
            if (Segments.Count == 0)
            {
                return new AssembledStream([], chunks);
            }

            uint start = StreamStart();
            // Offsets relative to the stream start; uint subtraction handles wrap-around.
            var ordered = new List<(long Offset, FlowSegment Segment)>(Segments.Count);
            foreach (var segment in Segments)
            {
                ordered.Add(((int)(segment.Sequence - start), segment));
            }

            // Stable by offset, so the first capture of a retransmitted range wins.
            ordered.Sort((a, b) => a.Offset != b.Offset ? a.Offset.CompareTo(b.Offset) : a.Segment.FrameIndex.CompareTo(b.Segment.FrameIndex));
            using var bytes = new MemoryStream();
            foreach (var (offset, segment) in ordered)
            {
                long segmentEnd = offset + segment.Payload.Length;
                if (offset > bytes.Length)
                {
                    break; // A gap: the bytes after it cannot be placed in a message.
                }

                if (segmentEnd <= bytes.Length)
                {
                    continue; // Retransmission of bytes already placed.
                }

                int skip = (int)(bytes.Length - offset);
                bytes.Write(segment.Payload, skip, segment.Payload.Length - skip);
                chunks.Add(((int)bytes.Length, segment.FrameIndex, segment.Timestamp));
            }

            return new AssembledStream(bytes.ToArray(), chunks);
        }

        private uint StreamStart()
        {
            if (InitialSequence is { } isn)
            {
                return isn + 1;
            }

            // No SYN: the earliest sequence number, compared relative to the first seen.
            uint first = Segments[0].Sequence;
            int lowest = 0;
            foreach (var segment in Segments)
            {
                lowest = Math.Min(lowest, (int)(segment.Sequence - first));
            }

            return first + (uint)lowest;
        }
    }
}
