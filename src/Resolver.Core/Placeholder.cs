namespace Resolver.Core;
internal static class Placeholder { }
