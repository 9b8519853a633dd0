namespace Resolver.Server.Hosting;

/// <summary>A command line the server cannot run with; the message is one line meant for the person who typed it.</summary>
public sealed class CommandLineException(string message) : Exception(message);
