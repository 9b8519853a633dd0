using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Resolver.Integration.Tests.Infrastructure;

/// <summary>
/// The tests' own DNS-over-TLS upstream on loopback: it takes length-framed queries over TLS with the certificate it
/// is given and relays each over UDP to an <see cref="UpstreamZone"/> for its answer. Faults for the pipelining
/// tests: <see cref="HoldAnswersUntil"/> keeps answers until that many queries are in, then sends them all in
/// reverse order; <see cref="CloseFirstConnectionAfter"/> closes the first connection without answering once that
/// many queries have arrived on it.
/// </summary>
public sealed class TlsUpstream : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2 _certificate;
    private readonly IPEndPoint _zone;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<int> _queriesPerConnection = [];
    private int _connections;

    public TlsUpstream(X509Certificate2 certificate, IPEndPoint zone)
    {
        _certificate = certificate;
        _zone = zone;
        _listener.Start();
        _ = AcceptAsync();
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Connections that completed the TLS handshake.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Every handshake attempted, completed or not.</summary>
    public int Handshakes => Volatile.Read(ref _handshakes);

    private int _handshakes;

    /// <summary>
    /// Octets this server sent during each completed handshake, in order. A resumed TLS 1.3 handshake sends no
    /// Certificate or CertificateVerify, so it is a fraction of a full one.
    /// </summary>
    public IReadOnlyList<long> HandshakeBytes => [.. _handshakeBytes];

    private readonly ConcurrentQueue<long> _handshakeBytes = new();

    public int HoldAnswersUntil { get; set; }

    public int CloseFirstConnectionAfter { get; set; }

    /// <summary>The most queries that were in flight at once on one connection.</summary>
    public int MostInFlight => Volatile.Read(ref _mostInFlight);

    private int _mostInFlight;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var counted = new CountingStream(client.GetStream());
        await using var tls = new SslStream(counted);
        Interlocked.Increment(ref _handshakes);
        try
        {
            using var handshake = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            handshake.CancelAfter(TimeSpan.FromSeconds(5));
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, handshake.Token);
        }
        catch (Exception)
        {
            return;
        }
        _handshakeBytes.Enqueue(counted.Written);
        int number = Interlocked.Increment(ref _connections);
        var writeLock = new SemaphoreSlim(1, 1);
        var held = new List<byte[]>();
        int received = 0;
        int answered = 0;
        var prefix = new byte[2];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await tls.ReadExactlyAsync(prefix, _stop.Token);
                var query = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
                await tls.ReadExactlyAsync(query, _stop.Token);
                received++;
                int inFlight = received - Volatile.Read(ref answered);
                if (inFlight > Volatile.Read(ref _mostInFlight))
                    Volatile.Write(ref _mostInFlight, inFlight);
                if (number == 1 && CloseFirstConnectionAfter > 0 && received >= CloseFirstConnectionAfter)
                    return;
                byte[] answer = await RelayAsync(query);
                if (HoldAnswersUntil > 0 && number == 1)
                {
                    held.Add(answer);
                    if (held.Count < HoldAnswersUntil)
                        continue;
                    held.Reverse();
                    foreach (var each in held)
                        await WriteAsync(tls, writeLock, each);
                    Interlocked.Add(ref answered, held.Count);
                    held.Clear();
                    continue;
                }
                await WriteAsync(tls, writeLock, answer);
                Interlocked.Increment(ref answered);
            }
        }
        catch (Exception)
        {
            // The client closed, or the test stopped us.
        }
    }

    private async Task<byte[]> RelayAsync(byte[] query)
    {
        using var relay = new UdpClient(AddressFamily.InterNetwork);
        relay.Connect(_zone);
        await relay.SendAsync(query, _stop.Token);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        wait.CancelAfter(TimeSpan.FromSeconds(3));
        var result = await relay.ReceiveAsync(wait.Token);
        return result.Buffer;
    }

    private static async Task WriteAsync(SslStream tls, SemaphoreSlim writeLock, byte[] answer)
    {
        var frame = new byte[answer.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)answer.Length);
        answer.CopyTo(frame, 2);
        await writeLock.WaitAsync();
        try
        {
            await tls.WriteAsync(frame);
        }
        finally
        {
            writeLock.Release();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}

/// <summary>A stream that counts the octets written through it (the server's side of a handshake).</summary>
internal sealed class CountingStream(Stream inner) : Stream
{
    private long _written;

    public long Written => Interlocked.Read(ref _written);

    public override bool CanRead => inner.CanRead;
    public override bool CanSeek => false;
    public override bool CanWrite => inner.CanWrite;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count)
    {
        Interlocked.Add(ref _written, count);
        inner.Write(buffer, offset, count);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Interlocked.Add(ref _written, buffer.Length);
        return inner.WriteAsync(buffer, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            inner.Dispose();
        base.Dispose(disposing);
    }
}
