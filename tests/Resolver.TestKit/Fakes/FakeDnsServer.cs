using NUnit.Framework;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Resolver.Protocol;

namespace Resolver.TestKit.Fakes;

/// <summary>
/// A scriptable DNS server on 127.0.0.1 (or ::1), UDP and TCP on the same ephemeral port. For every
/// query it asks <see cref="Handler"/> what to send back (nothing, one answer, bad packets
/// first, a spoof from another port ...) and records the query in <see cref="Queries"/>.
/// <code>
/// using var server = FakeDnsServer.Start(q => [FakeAnswers.WrongId(q), FakeAnswers.Answer(q)]);
/// var result = exchange.Exchange(server.EndPoint, query, options);
/// </code>
/// </summary>
public sealed class FakeDnsServer : IDisposable
{
    private const int MaxBindAttempts = 20;
    private const int ReceiveBufferBytes = 4 * 1024 * 1024;

    private readonly Socket _udp;
    private readonly Socket _spoofer;
    private readonly TcpListener _tcp;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<FakeQuery> _queries = new();
    private readonly ConcurrentQueue<Exception> _errors = new();
    private readonly List<Task> _loops = [];

    private FakeDnsServer(Socket udp, TcpListener tcp, Func<FakeQuery, IEnumerable<FakeReply>> handler)
    {
        _udp = udp;
        _tcp = tcp;
        Handler = handler;
        EndPoint = (IPEndPoint)udp.LocalEndPoint!;
        _spoofer = new Socket(EndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _spoofer.Bind(new IPEndPoint(EndPoint.Address, 0));
    }

    /// <summary>Address and port of both the UDP socket and the TCP listener.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Port the spoofed replies come from.</summary>
    public int SpoofPort => ((IPEndPoint)_spoofer.LocalEndPoint!).Port;

    /// <summary>What to send for a query; may be changed between exchanges.</summary>
    public Func<FakeQuery, IEnumerable<FakeReply>> Handler { get; set; }

    /// <summary>TCP replies are written in pieces of this many octets with a pause between, to split frames across reads.</summary>
    public int TcpChunkSize { get; set; } = int.MaxValue;

    public IReadOnlyList<FakeQuery> Queries => _queries.ToArray();

    public int UdpQueryCount => Queries.Count(q => !q.OverTcp);

    public int TcpQueryCount => Queries.Count(q => q.OverTcp);

    /// <summary>Starts a server that answers every query properly unless told otherwise.</summary>
    /// <param name="address">A loopback address to listen on; 127.0.0.1 by default.</param>
    public static FakeDnsServer Start(Func<FakeQuery, IEnumerable<FakeReply>>? handler = null, IPAddress? address = null)
    {
        handler ??= q => [FakeAnswers.Answer(q)];
        address ??= IPAddress.Loopback;
        if (!IPAddress.IsLoopback(address))
            throw new ArgumentException("tests listen on loopback only", nameof(address));
        for (int attempt = 0; ; attempt++)
        {
            var udp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            // A healthy upstream does not drop a burst: the kernel's default queue (about 200 KiB) holds a few hundred
            // queries, and a 2,000-query burst test would measure this fake's drops. The kernel caps it at rmem_max.
            udp.ReceiveBufferSize = ReceiveBufferBytes;
            udp.Bind(new IPEndPoint(address, 0));
            var tcp = new TcpListener(address, ((IPEndPoint)udp.LocalEndPoint!).Port);
            try
            {
                tcp.Start();
            }
            catch (SocketException) when (attempt < MaxBindAttempts)
            {
                udp.Dispose(); // the TCP port is taken; try another UDP port
                continue;
            }
            var server = new FakeDnsServer(udp, tcp, handler);
            server._loops.Add(Task.Run(server.ServeUdpAsync));
            server._loops.Add(Task.Run(server.AcceptTcpAsync));
            return server;
        }
    }

    /// <summary>A silent server: records queries, never answers.</summary>
    public static FakeDnsServer StartSilent() => Start(_ => []);

    private int _disposed;

    private async Task ServeUdpAsync()
    {
        var buffer = new byte[65535];
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(EndPoint.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0), token);
            }
            catch (Exception) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // ICMP from a client that already closed its socket
            }
            var client = (IPEndPoint)received.RemoteEndPoint;
            var query = Record(buffer.AsSpan(0, received.ReceivedBytes).ToArray(), client, overTcp: false);
            if (query is not null)
                _ = Task.Run(() => ReplyUdpAsync(query, client, token));
        }
    }

    private async Task ReplyUdpAsync(FakeQuery query, IPEndPoint client, CancellationToken token)
    {
        try
        {
            foreach (var reply in Handler(query))
            {
                if (reply.DelayBefore > TimeSpan.Zero)
                    await Task.Delay(reply.DelayBefore, token);
                var socket = reply.FromOtherPort ? _spoofer : _udp;
                await socket.SendToAsync(reply.Bytes, SocketFlags.None, client, token);
            }
        }
        catch (Exception error) when (!token.IsCancellationRequested)
        {
            _errors.Enqueue(error);
        }
        catch (Exception)
        {
            // stopping
        }
    }

    private async Task AcceptTcpAsync()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await _tcp.AcceptSocketAsync(token);
            }
            catch (Exception) when (token.IsCancellationRequested)
            {
                return;
            }
            _ = Task.Run(() => ServeTcpAsync(connection, token));
        }
    }

    private async Task ServeTcpAsync(Socket connection, CancellationToken token)
    {
        using var _ = connection;
        connection.NoDelay = true;
        var client = (IPEndPoint)connection.RemoteEndPoint!;
        try
        {
            var lengthBytes = new byte[2];
            while (await ReadExactlyAsync(connection, lengthBytes, token))
            {
                var message = new byte[BinaryPrimitives.ReadUInt16BigEndian(lengthBytes)];
                if (!await ReadExactlyAsync(connection, message, token))
                    return;
                var query = Record(message, client, overTcp: true);
                if (query is null)
                    return;
                foreach (var reply in Handler(query))
                {
                    if (reply.DelayBefore > TimeSpan.Zero)
                        await Task.Delay(reply.DelayBefore, token);
                    await WriteAsync(connection, reply, token);
                    if (reply.ThenClose)
                        return;
                }
            }
        }
        catch (Exception) when (token.IsCancellationRequested)
        {
        }
        catch (SocketException)
        {
            // the client went away
        }
        catch (Exception error)
        {
            _errors.Enqueue(error);
        }
    }

    private async Task WriteAsync(Socket connection, FakeReply reply, CancellationToken token)
    {
        var frame = reply.Unframed ? reply.Bytes : new byte[reply.Bytes.Length + 2];
        if (!reply.Unframed)
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)reply.Bytes.Length);
            reply.Bytes.CopyTo(frame, 2);
        }
        for (int offset = 0; offset < frame.Length; offset += TcpChunkSize)
        {
            int length = Math.Min(TcpChunkSize, frame.Length - offset);
            await connection.SendAsync(frame.AsMemory(offset, length), SocketFlags.None, token);
            if (length < frame.Length)
                await Task.Delay(2, token); // let the client see a partial frame
        }
    }

    private static async Task<bool> ReadExactlyAsync(Socket connection, Memory<byte> destination, CancellationToken token)
    {
        while (!destination.IsEmpty)
        {
            int received = await connection.ReceiveAsync(destination, SocketFlags.None, token);
            if (received == 0)
                return false;
            destination = destination[received..];
        }
        return true;
    }

    private FakeQuery? Record(byte[] bytes, IPEndPoint client, bool overTcp)
    {
        try
        {
            var query = new FakeQuery(DnsMessage.Parse(bytes), bytes, client, overTcp);
            _queries.Enqueue(query);
            return query;
        }
        catch (DnsFormatException error)
        {
            _errors.Enqueue(error);
            return null;
        }
    }

    /// <summary>
    /// Waits (at most 5 s) until <paramref name="count"/> queries have been recorded, then returns
    /// them all: the server's loops may run a moment after the client has given up.
    /// </summary>
    public IReadOnlyList<FakeQuery> WaitForQueries(int count)
    {
        Waiting.Eventually.TrueWithin(() => _queries.Count >= count, TimeSpan.FromSeconds(5));
        return Queries;
    }

    /// <summary>Fails the test if the server met an error (an unparsable query, a handler that threw).</summary>
    public void AssertNoErrors()
    {
        if (!_errors.IsEmpty)
            Assert.Fail("fake server errors: " + string.Join("; ", _errors.Select(e => e.Message)));
    }

    /// <summary>Stops it; a second call (a test that killed it, then the fixture's tear-down) does nothing.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _stopping.Cancel();
        _udp.Dispose();
        _spoofer.Dispose();
        _tcp.Stop();
        Task.WaitAll(_loops.ToArray(), TimeSpan.FromSeconds(2));
        _stopping.Dispose();
    }
}
