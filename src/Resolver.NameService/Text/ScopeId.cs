using System.Net;
using System.Net.NetworkInformation;

namespace Resolver.NameService;

/// <summary>Interface names and indexes, for IPv6 scope ids ("fe80::1%eth0").</summary>
public interface IInterfaceNames
{
    /// <summary>The interface index for a name, or 0 when there is no such interface (if_nametoindex).</summary>
    uint IndexOf(string name);

    /// <summary>The interface name for an index, or null (if_indextoname).</summary>
    string? NameOf(uint index);
}

/// <summary>Interface names of this machine, read through System.Net.NetworkInformation.</summary>
public sealed class SystemInterfaceNames : IInterfaceNames
{
    public uint IndexOf(string name)
    {
        foreach (var (n, index) in List())
            if (n == name) return index;
        return 0;
    }

    public string? NameOf(uint index)
    {
        foreach (var (n, i) in List())
            if (i == index) return n;
        return null;
    }

    private static IEnumerable<(string Name, uint Index)> List()
    {
        var result = new List<(string, uint)>();
        foreach (NetworkInterface nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            try
            {
                IPv6InterfaceProperties? v6 = nic.GetIPProperties().GetIPv6Properties();
                if (v6 is not null) result.Add((nic.Name, (uint)v6.Index));
            }
            catch (NetworkInformationException) { }
        }
        return result;
    }
}

/// <summary>The scope part of an IPv6 address text, read as glibc's getaddrinfo reads it.</summary>
public static class ScopeId
{
    /// <summary>
    /// For link-local (unicast or multicast) addresses an interface name is tried first; otherwise,
    /// or when no interface has that name, the text must be a decimal number. Null when neither.
    /// </summary>
    public static uint? Parse(string scope, IPAddress address, IInterfaceNames? interfaces)
    {
        if (scope.Length == 0) return null;
        if ((address.IsIPv6LinkLocal || IsMulticastLinkLocal(address)) && interfaces is not null)
        {
            uint index = interfaces.IndexOf(scope);
            if (index != 0) return index;
        }
        foreach (char c in scope)
            if (!char.IsAsciiDigit(c)) return null;
        return uint.TryParse(scope, System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out uint v) ? v : null;
    }

    internal static bool IsMulticastLinkLocal(IPAddress a)
    {
        if (a.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6) return false;
        Span<byte> b = stackalloc byte[16];
        a.TryWriteBytes(b, out _);
        return b[0] == 0xFF && (b[1] & 0x0F) == 0x02;
    }
}
