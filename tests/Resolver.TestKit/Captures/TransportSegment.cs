using System.Net;

namespace Resolver.TestKit.Captures;

/// <summary>
/// A UDP datagram or TCP segment lifted out of a captured frame: its endpoints,
/// its payload and, for TCP, what reassembly needs (RFC 9293 3.1).
/// </summary>
/// <param name="Transport">UDP or TCP.</param>
/// <param name="Source">Sender address and port.</param>
/// <param name="Destination">Receiver address and port.</param>
/// <param name="Payload">Transport payload (for UDP the whole datagram's data).</param>
/// <param name="SequenceNumber">TCP sequence number of the segment (0 for UDP).</param>
/// <param name="IsSyn">TCP SYN flag: the first data byte is at SequenceNumber + 1.</param>
/// <param name="FrameIndex">0-based frame in the capture.</param>
/// <param name="Timestamp">Capture time of the frame.</param>
public sealed record TransportSegment(
    CapturedTransport Transport,
    IPEndPoint Source,
    IPEndPoint Destination,
    byte[] Payload,
    uint SequenceNumber,
    bool IsSyn,
    int FrameIndex,
    DateTimeOffset Timestamp);
