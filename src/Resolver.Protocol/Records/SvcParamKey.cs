namespace Resolver.Protocol.Records;

/// <summary>SvcParamKeys (IANA "Service Parameter Keys (SvcParamKeys)"); any other value up to 65534 is valid too.</summary>
public enum SvcParamKey : ushort
{
    Mandatory = 0,
    Alpn = 1,
    NoDefaultAlpn = 2,
    Port = 3,
    Ipv4Hint = 4,
    Ech = 5,
    Ipv6Hint = 6,
    DohPath = 7,
    Ohttp = 8,

    /// <summary>Reserved "invalid key" (RFC 9460 §14.3.2): never appears in a record.</summary>
    Invalid = 65535,
}
