using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Resolver.Client.Transport;

/// <summary>
/// A UDP socket to one upstream server with what one attempt on it needs, reused across
/// queries: the receive buffer, the sockaddr receives are written into, the server's own
/// sockaddr to compare with, and a cancellation source for the async deadline. It gives one
/// query at a time, so the only ID it accepts is the current one: a late answer to an earlier
/// query is just a packet with a wrong ID.
/// </summary>
internal sealed class PooledUdpSocket : IDisposable
{
    /// <summary>
    /// The largest UDP answer taken as it is. We advertise 1232 bytes by default and a server must not send more
    /// (RFC 6891 §6.2.5); one that does anyway, beyond this, is asked again over TCP. A small buffer matters: a
    /// forwarder with hundreds of queries in flight holds one per socket.
    /// </summary>
    public const int LargestAcceptedReply = 4095;

    // Age on the exchange's clock (a test advances it past MaxAge instead of sleeping).
    private readonly TimeProvider _time;
    private readonly long _createdAt;
    private CancellationTokenSource? _deadlineSource;
    private int _receiveTimeout;
    private int _sendTimeout;

    /// <param name="connect">
    /// Connect, so the kernel drops datagrams from other sources and reports ICMP port-unreachable;
    /// the source is still checked in code, and tests turn this off to see that.
    /// </param>
    public PooledUdpSocket(IPEndPoint server, bool connect, bool useAsync, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _createdAt = _time.GetTimestamp();
        Socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            // Either way the kernel binds a random ephemeral port (RFC 5452 §9.2).
            if (connect)
                Socket.Connect(server);
            else
                Socket.Bind(new IPEndPoint(server.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
        }
        catch
        {
            Socket.Dispose();
            throw;
        }
        IsConnected = connect;
        UsesAsync = useAsync;
        ServerAddress = server.Serialize();
        From = new SocketAddress(server.AddressFamily);
        ReceiveBuffer = ArrayPool<byte>.Shared.Rent(LargestAcceptedReply + 1);
    }

    public Socket Socket { get; }
    public bool IsConnected { get; }

    /// <summary>Which form the socket serves: the pool keeps blocking and async sockets apart.</summary>
    public bool UsesAsync { get; }

    public SocketAddress ServerAddress { get; }

    /// <summary>Where each receive writes the sender's address.</summary>
    public SocketAddress From { get; }

    public byte[] ReceiveBuffer { get; }

    /// <summary>Where receives write: one byte more than <see cref="LargestAcceptedReply"/>, so a longer datagram
    /// (cut by the kernel to this length) is recognised.</summary>
    public Memory<byte> ReceiveSpace => ReceiveBuffer.AsMemory(0, LargestAcceptedReply + 1);

    /// <summary>Queries sent on this socket so far.</summary>
    public int Queries { get; private set; }

    public TimeSpan Age => _time.GetElapsedTime(_createdAt);

    /// <summary>
    /// Sets SO_RCVTIMEO (blocking form) unless it already has this value: the remaining time is
    /// usually the same whole number of milliseconds query after query, and each set is a system call.
    /// </summary>
    public void SetReceiveTimeout(int milliseconds)
    {
        if (milliseconds != _receiveTimeout)
            Socket.ReceiveTimeout = _receiveTimeout = milliseconds;
    }

    /// <summary>SO_SNDTIMEO, set only when it changes (see <see cref="SetReceiveTimeout"/>).</summary>
    public void SetSendTimeout(int milliseconds)
    {
        if (milliseconds != _sendTimeout)
            Socket.SendTimeout = _sendTimeout = milliseconds;
    }

    /// <summary>Counts one more query on this socket.</summary>
    public void CountQuery() => Queries++;

    /// <summary>
    /// The source for one async deadline: not cancelled, no timer running. Reused while attempts
    /// end before it fires; replaced after one that fired.
    /// </summary>
    public CancellationTokenSource LendDeadlineSource()
    {
        if (_deadlineSource is null || !_deadlineSource.TryReset())
        {
            _deadlineSource?.Dispose();
            _deadlineSource = new CancellationTokenSource();
        }
        return _deadlineSource;
    }

    /// <summary>Stops the deadline timer so an idle socket's source does not fire and need replacing.</summary>
    public void StopDeadline() => _deadlineSource?.TryReset();

    public void Dispose()
    {
        Socket.Dispose();
        _deadlineSource?.Dispose();
        ArrayPool<byte>.Shared.Return(ReceiveBuffer);
    }
}
