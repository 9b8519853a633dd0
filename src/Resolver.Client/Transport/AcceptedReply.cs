using Resolver.Protocol;

namespace Resolver.Client.Transport;

/// <summary>A packet that passed <see cref="ReplyMatcher"/>: its own copy of the bytes and its header.</summary>
internal readonly record struct AcceptedReply(byte[] Bytes, DnsHeader Header);
