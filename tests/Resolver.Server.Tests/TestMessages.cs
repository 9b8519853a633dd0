using System.Buffers.Binary;

namespace Resolver.Server.Tests;

/// <summary>Small DNS messages for the transport tests (the transport only needs a valid header).</summary>
internal static class TestMessages
{
    /// <summary>A standard query for example.com A IN with RD set (RFC 1035 §4.1).</summary>
    public static byte[] Query(ushort id)
    {
        byte[] name = [7, .. "example"u8, 3, .. "com"u8, 0];
        var message = new byte[12 + name.Length + 4];
        BinaryPrimitives.WriteUInt16BigEndian(message, id);
        message[2] = 0x01; // RD
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(4), 1); // QDCOUNT
        name.CopyTo(message, 12);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(12 + name.Length), 1); // A
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(14 + name.Length), 1); // IN
        return message;
    }

    /// <summary>The same query with the 2-byte TCP length prefix (RFC 1035 §4.2.2).</summary>
    public static byte[] Framed(ushort id)
    {
        byte[] query = Query(id);
        var framed = new byte[query.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
        query.CopyTo(framed, 2);
        return framed;
    }

    public static ushort IdOf(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt16BigEndian(message);

    public static string Hex(ReadOnlySpan<byte> message) => Convert.ToHexString(message);
}
