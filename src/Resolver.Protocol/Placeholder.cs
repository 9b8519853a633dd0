namespace Resolver.Protocol;
internal static class Placeholder { }
