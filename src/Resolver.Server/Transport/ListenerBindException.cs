using System.Net;
using System.Net.Sockets;

namespace Resolver.Server.Transport;

/// <summary>
/// A listen address could not be bound. The message is one line that says why and what to do, e.g.
/// "cannot listen on 127.0.0.1:53: permission denied — port 53 needs root or CAP_NET_BIND_SERVICE; or pass --listen 127.0.0.1:5353".
/// </summary>
public sealed class ListenerBindException(IPEndPoint endpoint, string protocol, SocketError error, Exception inner)
    : Exception(Describe(endpoint, protocol, error), inner)
{
    public IPEndPoint Endpoint { get; } = endpoint;

    public SocketError Error { get; } = error;

    internal static string Describe(IPEndPoint endpoint, string protocol, SocketError error)
    {
        var alternative = new IPEndPoint(endpoint.Address, endpoint.Port == 5353 ? 5354 : 5353);
        string instead = $"pass --listen {alternative}";
        string why = error switch
        {
            SocketError.AccessDenied =>
                $"permission denied — port {endpoint.Port} needs root or CAP_NET_BIND_SERVICE; or {instead}",
            SocketError.AddressAlreadyInUse =>
                $"address already in use ({protocol}) — another DNS server (e.g. systemd-resolved, dnsmasq) may hold it; stop it or {instead}",
            SocketError.AddressNotAvailable =>
                $"address not available — no network interface here has {endpoint.Address}; listen on an address this machine has, e.g. --listen 127.0.0.1:5353",
            SocketError.AddressFamilyNotSupported =>
                $"{endpoint.AddressFamily} is not supported here; drop this address from Resolver:Listen or pass --listen 127.0.0.1:5353",
            _ => $"{error} ({protocol}); {instead}",
        };
        return $"cannot listen on {endpoint}: {why}";
    }
}
