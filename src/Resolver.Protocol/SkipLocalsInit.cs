using System.Runtime.CompilerServices;

// Every name read stackallocs a 255-octet buffer, and zeroing it cost more than decoding a short
// name. No code here reads a stack buffer before writing it: name buffers are read only up to
// the length the decoder wrote, and the type bitmap clears its buffer itself.
[module: SkipLocalsInit]
