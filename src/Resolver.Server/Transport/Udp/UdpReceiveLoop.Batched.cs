using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using static Resolver.Server.Transport.Udp.LinuxDatagramCalls;

namespace Resolver.Server.Transport.Udp;

/// <summary>
/// The receive loop on 64-bit Linux: recvmmsg takes every datagram already waiting (blocking only for the first),
/// each is handled as in the single-datagram loop, and the answers given inline go out together with one sendmmsg.
/// Under load that is one pair of system calls per batch instead of per query; a quiet server still answers each
/// query as it comes, since a batch is never waited for.
/// </summary>
internal sealed partial class UdpReceiveLoop
{
    private void RunBatched(CancellationToken stopReceiving)
    {
        int slotLength = Math.Min(shared.MaxDatagramSize + 1, ReceiveBufferLength);
        using var batch = new DatagramBatch(shared.UdpBatchSize, slotLength, shared.UdpResponseCapacity);
        var answered = new IPEndPoint[shared.UdpBatchSize];
        byte[] query = shared.QueryBuffers.Rent(QueryBufferLength);
        byte[] response = shared.QueryBuffers.Rent(shared.UdpResponseCapacity);
        var clients = new ClientEndpointCache(socket.AddressFamily);
        var busyPoll = new BusyPollWindow(shared.UdpBusyPollMicroseconds);
        try
        {
            socket.ReceiveTimeout = StopCheckIntervalMs;
            while (!stopReceiving.IsCancellationRequested)
            {
                int count = ReceiveNext(batch, busyPoll, out int error);
                if (count < 0)
                {
                    if (EndsLoop(ToSocketError(error)))
                    {
                        return;
                    }

                    continue;
                }

                for (int slot = 0; slot < count; slot++)
                {
                    HandleDatagram(batch, slot, clients, answered, ref query, ref response);
                }

                SendQueued(batch, answered);
            }
        }
        catch (ObjectDisposedException)
        {
            // The socket was closed under the loop: the server is stopping.
        }
        finally
        {
            shared.QueryBuffers.Return(query);
            shared.QueryBuffers.Return(response);
        }
    }

    /// <summary>
    /// Waits for the next datagrams: polls first while queries come fast (<see cref="BusyPollWindow"/>),
    /// then blocks. A poll that finds nothing yields the processor before it tries again, so a thread finishing a
    /// cache miss on the same core is not kept waiting by it; a poll that finds another thread took the core for
    /// long gives way to it and sleeps, since a sleeping loop is woken ahead of such a thread.
    /// </summary>
    private int ReceiveNext(DatagramBatch batch, BusyPollWindow busyPoll, out int error)
    {
        long idleSince = Stopwatch.GetTimestamp();
        bool polled = busyPoll.ShouldPoll(idleSince);
        bool gaveWay = false;
        if (polled)
        {
            long pollUntil = idleSince + busyPoll.WindowTicks;
            long attempted = idleSince;
            long now;
            do
            {
                int count = batch.Receive(socket, wait: false, out error);
                now = Stopwatch.GetTimestamp();
                gaveWay = busyPoll.GaveWay(attempted, now);
                attempted = now;
                if (count > 0)
                {
                    busyPoll.Waited(now - idleSince, count);
                    shared.Metrics.ReceiveWaited(TransportTags.Polled);
                    return count;
                }

                if (error != ErrorWouldBlock)
                {
                    return count;
                }

                if (gaveWay)
                {
                    break;
                }

                Thread.Yield();
            }
            while (now < pollUntil);
        }

        // A receive timeout (nothing for StopCheckIntervalMs) is a long wait too.
        int received = batch.Receive(socket, wait: true, out error);
        busyPoll.Waited(Stopwatch.GetTimestamp() - idleSince, Math.Max(received, 0));
        if (received > 0 || error == ErrorWouldBlock)
        {
            shared.Metrics.ReceiveWaited(gaveWay ? TransportTags.GaveWay : polled ? TransportTags.SleptAfterPoll : TransportTags.Slept);
        }

        return received;
    }

    private void HandleDatagram(DatagramBatch batch, int slot, ClientEndpointCache clients, IPEndPoint[] answered,
        ref byte[] query, ref byte[] response)
    {
        shared.Metrics.DatagramReceived();
        IPEndPoint endpoint = clients.Get(batch.Sender(slot));
        int received = batch.Length(slot);
        if (batch.IsCut(slot))
        {
            Drop(TransportTags.TooLong, endpoint);
            return;
        }

        if (!IsAcceptableLength(received, endpoint))
        {
            return;
        }

        ValueTask<int> answer = Dispatch(batch.Datagram(slot), ref query, response, endpoint, out bool handlerThrew);
        if (handlerThrew)
        {
            return;
        }

        if (answer.IsCompleted)
        {
            int length = Consume(answer, endpoint);
            if (length > 0)
            {
                // Left in flight until it is sent, so a stop's drain waits for it.
                answered[batch.Queued] = endpoint;
                batch.Queue(slot, response.AsSpan(0, length));
            }
            else
            {
                shared.InFlight.Exit();
            }
        }
        else
        {
            // The continuation owns these buffers now and sends on its own; the loop goes on with fresh ones.
            _ = AnswerLaterAsync(answer, query, response, ClientEndpointCache.Copy(socket.AddressFamily, batch.Sender(slot)), endpoint);
            query = shared.QueryBuffers.Rent(QueryBufferLength);
            response = shared.QueryBuffers.Rent(shared.UdpResponseCapacity);
        }
    }

    private void SendQueued(DatagramBatch batch, IPEndPoint[] answered)
    {
        int queued = batch.Queued;
        if (queued == 0)
        {
            return;
        }

        try
        {
            batch.Send(socket);
            for (int i = 0; i < queued; i++)
            {
                if (batch.Failed(i))
                {
                    Drop(TransportTags.SendFailed, answered[i]);
                }
                else
                {
                    shared.Metrics.ResponseSent(TransportTags.Udp, batch.Answer(i));
                }
            }
        }
        finally
        {
            for (int i = 0; i < queued; i++)
            {
                shared.InFlight.Exit();
                answered[i] = null!;
            }

            batch.ClearQueue();
        }
    }

    // Linux errno values (asm-generic/errno.h) a receive can meet.
    private static SocketError ToSocketError(int errno) => errno switch
    {
        ErrorInterrupted => SocketError.Success,
        ErrorWouldBlock => SocketError.TimedOut,
        ErrorBadDescriptor or ErrorNotSocket => SocketError.NotSocket, // the descriptor is gone
        ErrorInvalidArgument => SocketError.InvalidArgument,
        ErrorMessageSize => SocketError.MessageSize,
        ErrorNetworkUnreachable => SocketError.NetworkUnreachable,
        ErrorConnectionReset => SocketError.ConnectionReset,
        ErrorTimedOut => SocketError.TimedOut,
        ErrorConnectionRefused => SocketError.ConnectionRefused,
        ErrorHostUnreachable => SocketError.HostUnreachable,
        _ => SocketError.SocketError,
    };
}
