using System.Net;
using System.Net.Sockets;
using Resolver.Core.Pipeline;

namespace Resolver.Server.Transport.Tcp;

/// <summary>Accepts connections on one listen address and admits them to the connection table.</summary>
/// <remarks>With <paramref name="tls"/>, a DNS-over-TLS listener (RFC 7858): each connection shakes hands first.</remarks>
internal sealed class TcpAcceptLoop(Socket listener, IQueryHandler handler, ListenerContext shared, TcpConnectionTable table,
    Encrypted.TlsHandshake? tls = null)
{
    private const int Backlog = 512;

    private readonly IPEndPoint local = (IPEndPoint)listener.LocalEndPoint!;

    // <asm-generic/socket.h> on Linux: SOL_SOCKET = 1, SO_REUSEADDR = 2.
    private const int SolSocket = 1;
    private const int SoReuseAddr = 2;

    /// <summary>Binds and listens; throws <see cref="ListenerBindException"/> when the address cannot be had.</summary>
    public static Socket Listen(IPEndPoint endpoint)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endpoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = false;
            }

            // SO_REUSEADDR on Unix lets a restarted server bind while old connections sit in TIME_WAIT; it does
            // not let two listeners share the port (on Windows it would, so it is left off there). On Linux it is
            // set raw: .NET's ReuseAddress also sets SO_REUSEPORT there, which does let a second resolver of the
            // same user listen on the port beside this one.
            if (OperatingSystem.IsLinux())
            {
                socket.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
            }
            else if (!OperatingSystem.IsWindows())
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            }

            Udp.UdpSocketGroup.BindOrExplain(socket, endpoint, "tcp");
            socket.Listen(Backlog);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task RunAsync(CancellationToken stopAccepting)
    {
        while (!stopAccepting.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stopAccepting).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.OperationAborted or SocketError.Interrupted)
            {
                return;
            }
            catch (SocketException e)
            {
                // e.g. EMFILE: out of descriptors. Pause (bounded) so the loop does not spin, then go on.
                TransportLog.AcceptFailed(shared.Logger, local, e.SocketErrorCode);
                await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            Admit(client, stopAccepting);
        }
    }

    private void Admit(Socket client, CancellationToken stopReading)
    {
        shared.Metrics.ConnectionAccepted();
        TcpConnection connection;
        try
        {
            client.NoDelay = true;
            connection = new TcpConnection(client, handler, shared, table, stopReading, tls);
        }
        catch (SocketException)
        {
            // The peer went away between accept and now.
            client.Dispose();
            shared.Metrics.ConnectionClosed(TransportTags.Error);
            return;
        }

        if (!table.TryAdmit(connection))
        {
            // At the cap with every connection busy: the newcomer is the one to go (RFC 7766 §6.2.2).
            connection.Discard();
            shared.Metrics.ConnectionClosed(TransportTags.CapFull);
            return;
        }

        connection.Start();
    }
}
