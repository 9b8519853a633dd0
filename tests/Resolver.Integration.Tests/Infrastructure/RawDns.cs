using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Resolver.Protocol;
using Resolver.Protocol.Edns;

namespace Resolver.Integration.Tests.Infrastructure;

/// <summary>
/// Queries on raw sockets, built and read with the project's own codec, for the cases DnsClient
/// cannot send (malformed packets, odd opcodes, mixed case, QR=1, two IDs from one socket).
/// </summary>
public static class RawDns
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(3);

    private static int _nextId = Random.Shared.Next(1, 0xFFFF);

    public static ushort NextId() => (ushort)Interlocked.Increment(ref _nextId);

    /// <summary>A query with RD set; EDNS (1232, DO as asked) only when <paramref name="edns"/>.</summary>
    public static DnsMessage Query(string name, RecordType type, bool edns = false, bool dnssecOk = false, RecordClass recordClass = RecordClass.IN) =>
        DnsMessage.CreateQuery(NextId(), DnsName.Parse(name), type, recordClass, recursionDesired: true,
            edns: edns ? new EdnsRecord { UdpPayloadSize = 1232, DnssecOk = dnssecOk } : null);

    /// <summary>Sends one datagram from a new socket and waits for a reply; null when none came in <paramref name="wait"/>.</summary>
    public static async Task<byte[]?> ExchangeUdpAsync(IPEndPoint server, byte[] query, TimeSpan? wait = null)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Connect(server);
        await socket.SendAsync(query, SocketFlags.None);
        return await ReceiveAsync(socket, wait ?? DefaultWait);
    }

    public static async Task<DnsMessage> AskUdpAsync(IPEndPoint server, DnsMessage query, TimeSpan? wait = null)
    {
        var reply = await ExchangeUdpAsync(server, query.ToArray(), wait)
            ?? throw new AssertionException($"no UDP reply to {Describe(query)}");
        return Parse(reply);
    }

    /// <summary>Waits for one datagram on a connected socket; null on timeout.</summary>
    public static async Task<byte[]?> ReceiveAsync(Socket socket, TimeSpan wait)
    {
        var buffer = new byte[65535];
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            int received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            return buffer[..received];
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (SocketException)
        {
            return null; // ICMP port unreachable
        }
    }

    public static async Task<DnsMessage> AskTcpAsync(IPEndPoint server, DnsMessage query, TimeSpan? wait = null)
    {
        using var connection = await TcpDnsConnection.OpenAsync(server);
        await connection.SendAsync(query.ToArray());
        var reply = await connection.ReceiveAsync(wait ?? DefaultWait)
            ?? throw new AssertionException($"no TCP reply to {Describe(query)}");
        return Parse(reply);
    }

    public static DnsMessage Parse(byte[] reply)
    {
        try
        {
            return DnsMessage.Parse(reply);
        }
        catch (DnsFormatException error)
        {
            throw new AssertionException($"unparsable reply ({error.Message}): {Convert.ToHexString(reply)}");
        }
    }

    /// <summary>The message as dig shows it, for failure messages.</summary>
    public static string Describe(DnsMessage message)
    {
        var text = new System.Text.StringBuilder();
        text.Append("id=").Append(message.Id).Append(" qr=").Append(message.IsResponse).Append(" aa=").Append(message.AuthoritativeAnswer)
            .Append(" tc=").Append(message.Truncated).Append(" rd=").Append(message.RecursionDesired).Append(" ra=").Append(message.RecursionAvailable)
            .Append(" rcode=").Append(message.ResponseCode);
        foreach (var question in message.Questions)
            text.Append(" | Q ").Append(question);
        foreach (var record in message.Answers)
            text.Append(" | AN ").Append(record);
        foreach (var record in message.Authorities)
            text.Append(" | NS ").Append(record);
        foreach (var record in message.Additionals)
            text.Append(" | AR ").Append(record);
        if (message.Edns is { } edns)
        {
            text.Append(" | OPT udp=").Append(edns.UdpPayloadSize).Append(" do=").Append(edns.DnssecOk).Append(" v=").Append(edns.Version);
            foreach (var option in edns.Options)
                text.Append(' ').Append(option);
        }
        return text.ToString();
    }

    /// <summary>A 12-byte header with the given flags word and counts, then <paramref name="rest"/>.</summary>
    public static byte[] Header(ushort id, ushort flags, ushort questions, ReadOnlySpan<byte> rest)
    {
        var message = new byte[12 + rest.Length];
        BinaryPrimitives.WriteUInt16BigEndian(message, id);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), flags);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(4), questions);
        rest.CopyTo(message.AsSpan(12));
        return message;
    }
}

/// <summary>One TCP connection to the resolver: framed sends and receives (RFC 1035 §4.2.2).</summary>
public sealed class TcpDnsConnection : IDisposable
{
    private readonly Socket _socket;

    private TcpDnsConnection(Socket socket) => _socket = socket;

    public Socket Socket => _socket;

    public static async Task<TcpDnsConnection> OpenAsync(IPEndPoint server)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await socket.ConnectAsync(server, timeout.Token);
        return new TcpDnsConnection(socket);
    }

    public async Task SendAsync(byte[] message)
    {
        var frame = new byte[message.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)message.Length);
        message.CopyTo(frame, 2);
        await _socket.SendAsync(frame, SocketFlags.None);
    }

    /// <summary>The next framed message; null on timeout or when the server closed the connection.</summary>
    public async Task<byte[]?> ReceiveAsync(TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            var length = new byte[2];
            if (!await ReadExactlyAsync(length, timeout.Token))
                return null;
            var message = new byte[BinaryPrimitives.ReadUInt16BigEndian(length)];
            return await ReadExactlyAsync(message, timeout.Token) ? message : null;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    /// <summary>True when the server closes the connection (a read returns 0 or the connection resets) within <paramref name="wait"/>.</summary>
    public async Task<bool> WaitForCloseAsync(TimeSpan wait)
    {
        var buffer = new byte[512];
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            // Bounded: each read either returns data (a stray reply), 0 (closed) or ends with the timeout.
            for (int reads = 0; reads < 100; reads++)
            {
                if (await _socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) == 0)
                    return true;
            }
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    private async Task<bool> ReadExactlyAsync(Memory<byte> destination, CancellationToken token)
    {
        while (!destination.IsEmpty)
        {
            int received = await _socket.ReceiveAsync(destination, SocketFlags.None, token);
            if (received == 0)
                return false;
            destination = destination[received..];
        }
        return true;
    }

    public void Dispose() => _socket.Dispose();
}
