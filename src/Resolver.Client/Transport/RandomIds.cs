using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Resolver.Client.Transport;

/// <summary>
/// Unpredictable 16-bit query IDs (RFC 5452 §4.3) from the system's cryptographic generator, drawn 256 bytes at a
/// time into a per-thread buffer. One call into the generator per query was 2.5 % of the CPU time of a sustained
/// miss load (libcrypto in scripts/profile-misses.sh); buffering keeps every ID as unpredictable as before (the
/// bytes are the generator's, used once each, on the thread that drew them) at a 128th of the calls. Unbound and
/// dnsmasq draw their IDs from a buffered stream cipher the same way.
/// </summary>
internal static class RandomIds
{
    private const int BufferLength = 256;

    [ThreadStatic]
    private static byte[]? t_buffer;

    [ThreadStatic]
    private static int t_next;

    public static ushort Next()
    {
        var buffer = t_buffer;
        int next = t_next;
        if (buffer is null || next >= BufferLength)
        {
            buffer = t_buffer ??= new byte[BufferLength];
            RandomNumberGenerator.Fill(buffer);
            next = 0;
        }
        t_next = next + 2;
        return BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(next, 2));
    }
}
