namespace Resolver.NameService;
internal static class Placeholder { }
