using System.Buffers;

namespace Resolver.Server.Transport.Tcp;

/// <summary>
/// RFC 1035 §4.2.2: over TCP each message is prefixed by a two-byte length in network order.
/// The prefix and the message may arrive split over any number of reads.
/// </summary>
internal static class TcpFraming
{
    public const int PrefixLength = 2;

    /// <summary>Takes one whole message off the front of <paramref name="buffer"/>; false until all of it has arrived.</summary>
    public static bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> message)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadBigEndian(out short prefix))
        {
            message = default;
            return false;
        }

        int length = (ushort)prefix;
        if (reader.Remaining < length)
        {
            message = default;
            return false;
        }

        message = buffer.Slice(PrefixLength, length);
        buffer = buffer.Slice(message.End);
        return true;
    }
}
