namespace Resolver.Client;
internal static class Placeholder { }
