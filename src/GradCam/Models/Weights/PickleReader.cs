using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace GradCam.Models.Weights;

/// <summary>A Python global (<c>module.name</c>) met in a pickle stream.</summary>
internal sealed record PickleGlobal(string Module, string Name)
{
    public override string ToString() => $"{Module}.{Name}";
}

/// <summary>The result of calling a Python global that the reader has no meaning for.</summary>
internal sealed record PickleCall(PickleGlobal Callable, object?[] Args);

/// <summary>An insertion-ordered Python dict (plain <c>dict</c> and <c>collections.OrderedDict</c>).</summary>
internal sealed class PickleDict : List<KeyValuePair<object, object?>>
{
    public void Set(object key, object? value) => Add(new(key, value));
}

/// <summary>
/// A small, safe pickle virtual machine: it understands the opcodes <c>torch.save</c> emits
/// (protocols 2 to 5) and never imports or executes anything. Globals become <see cref="PickleGlobal"/>s;
/// calls are resolved by the <c>reduce</c> callback or kept as <see cref="PickleCall"/>s.
/// </summary>
internal sealed class PickleReader
{
    private static readonly object Mark = new();

    private readonly Stream _stream;
    private readonly Func<object, object> _persistentLoad;
    private readonly Func<PickleGlobal, object?[], object?> _reduce;
    private readonly Dictionary<int, object?> _memo = new();
    private readonly List<object?> _stack = new();
    private readonly Stack<int> _marks = new();

    public PickleReader(Stream stream, Func<object, object> persistentLoad, Func<PickleGlobal, object?[], object?> reduce)
    {
        _stream = stream;
        _persistentLoad = persistentLoad;
        _reduce = reduce;
    }

    /// <summary>Reads one pickle (up to and including its STOP opcode) and returns its value.</summary>
    public object? Load()
    {
        _memo.Clear();
        _stack.Clear();
        _marks.Clear();
        while (true)
        {
            int op = _stream.ReadByte();
            if (op < 0) throw new InvalidDataException("unexpected end of pickle stream");
            switch (op)
            {
                case 0x80: ReadByte(); break;                                   // PROTO
                case 0x95: ReadBytes(8); break;                                 // FRAME (length only)
                case '.': return Pop();                                         // STOP
                case '(': _marks.Push(_stack.Count); break;                     // MARK
                case '0': Pop(); break;                                         // POP
                case '1': PopMark(); break;                                     // POP_MARK
                case '2': Push(_stack[^1]); break;                              // DUP
                case 'N': Push(null); break;                                    // NONE
                case 0x88: Push(true); break;                                   // NEWTRUE
                case 0x89: Push(false); break;                                  // NEWFALSE
                case 'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4))); break; // BININT
                case 'K': Push((long)ReadByte()); break;                        // BININT1
                case 'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2))); break; // BININT2
                case 0x8a: Push(ReadLong(ReadByte())); break;                   // LONG1
                case 0x8b: Push(ReadLong(BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4)))); break; // LONG4
                case 'G': Push(BinaryPrimitives.ReadDoubleBigEndian(ReadBytes(8))); break; // BINFLOAT
                case 'X': Push(Encoding.UTF8.GetString(ReadBytes(BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4))))); break; // BINUNICODE
                case 0x8c: Push(Encoding.UTF8.GetString(ReadBytes(ReadByte()))); break; // SHORT_BINUNICODE
                case 0x8d: Push(Encoding.UTF8.GetString(ReadBytes(checked((int)BinaryPrimitives.ReadInt64LittleEndian(ReadBytes(8)))))); break; // BINUNICODE8
                case 'T': Push(Encoding.Latin1.GetString(ReadBytes(BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4))))); break; // BINSTRING
                case 'U': Push(Encoding.Latin1.GetString(ReadBytes(ReadByte()))); break; // SHORT_BINSTRING
                case 'B': Push(ReadBytes(BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4)))); break; // BINBYTES
                case 'C': Push(ReadBytes(ReadByte())); break;                   // SHORT_BINBYTES
                case ')': Push(Array.Empty<object?>()); break;                  // EMPTY_TUPLE
                case 't': Push(PopMark().ToArray()); break;                     // TUPLE
                case 0x85: Push(new[] { Pop() }); break;                        // TUPLE1
                case 0x86: { var b = Pop(); var a = Pop(); Push(new[] { a, b }); break; } // TUPLE2
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new[] { a, b, c }); break; } // TUPLE3
                case ']': Push(new List<object?>()); break;                     // EMPTY_LIST
                case 'l': Push(PopMark()); break;                               // LIST
                case 'a': { var v = Pop(); AsList(Peek()).Add(v); break; } // APPEND
                case 'e': { var items = PopMark(); AsList(Peek()).AddRange(items); break; } // APPENDS
                case '}': Push(new PickleDict()); break;                        // EMPTY_DICT
                case 'd': { var items = PopMark(); var d = new PickleDict(); SetItems(d, items); Push(d); break; } // DICT
                case 's': { var v = Pop(); var k = Pop(); AsDict(Peek()).Set(k!, v); break; } // SETITEM
                case 'u': { var items = PopMark(); SetItems(AsDict(Peek()), items); break; } // SETITEMS
                case 0x8f: Push(new List<object?>()); break;                    // EMPTY_SET
                case 0x90: { var items = PopMark(); AsList(Peek()).AddRange(items); break; } // ADDITEMS
                case 'c': Push(new PickleGlobal(ReadLine(), ReadLine())); break; // GLOBAL
                case 0x93: { var name = (string)Pop()!; var module = (string)Pop()!; Push(new PickleGlobal(module, name)); break; } // STACK_GLOBAL
                case 'R': { var args = (object?[])Pop()!; var f = Pop(); Push(Call(f, args)); break; } // REDUCE
                case 0x81: { var args = (object?[])Pop()!; var cls = Pop(); Push(Call(cls, args)); break; } // NEWOBJ
                case 'b': Pop(); break;                                         // BUILD: object state is not needed
                case 'Q': Push(_persistentLoad(Pop()!)); break;                 // BINPERSID
                case 'q': _memo[ReadByte()] = _stack[^1]; break;                // BINPUT
                case 'r': _memo[BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4))] = _stack[^1]; break; // LONG_BINPUT
                case 0x94: _memo[_memo.Count] = _stack[^1]; break;              // MEMOIZE
                case 'h': Push(_memo[ReadByte()]); break;                       // BINGET
                case 'j': Push(_memo[BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4))]); break; // LONG_BINGET
                default:
                    throw new InvalidDataException($"unsupported pickle opcode 0x{op:x2} at byte {_stream.Position - 1}");
            }
        }
    }

    private object? Call(object? callable, object?[] args) => callable is PickleGlobal g
        ? _reduce(g, args)
        : throw new InvalidDataException($"pickle calls a non-global ({callable?.GetType().Name ?? "None"})");

    private static List<object?> AsList(object? o) =>
        o as List<object?> ?? throw new InvalidDataException($"pickle appends to a {o?.GetType().Name ?? "None"}, not a list");

    private static PickleDict AsDict(object? o) =>
        o as PickleDict ?? throw new InvalidDataException($"pickle sets items on a {o?.GetType().Name ?? "None"}, not a dict");

    private static void SetItems(PickleDict d, List<object?> items)
    {
        for (int i = 0; i + 1 < items.Count; i += 2) d.Set(items[i]!, items[i + 1]);
    }

    private void Push(object? o) => _stack.Add(o);

    private object? Peek() => _stack.Count > 0 ? _stack[^1] : throw new InvalidDataException("pickle stack underflow");

    private object? Pop()
    {
        var o = Peek();
        _stack.RemoveAt(_stack.Count - 1);
        return o;
    }

    private List<object?> PopMark()
    {
        if (_marks.Count == 0) throw new InvalidDataException("pickle MARK missing");
        int start = _marks.Pop();
        var items = _stack.GetRange(start, _stack.Count - start);
        _stack.RemoveRange(start, _stack.Count - start);
        return items;
    }

    private int ReadByte() => _stream.ReadByte() is var b and >= 0 ? b : throw new InvalidDataException("unexpected end of pickle stream");

    private byte[] ReadBytes(int n)
    {
        // A length from the file is checked against what is left of it before anything is allocated.
        if (n < 0 || (_stream.CanSeek && n > _stream.Length - _stream.Position))
            throw new InvalidDataException($"the pickle announces {n} bytes where {(_stream.CanSeek ? _stream.Length - _stream.Position : 0)} remain");
        var buffer = new byte[n];
        _stream.ReadExactly(buffer);
        return buffer;
    }

    private string ReadLine()
    {
        var sb = new StringBuilder();
        for (int b; (b = ReadByte()) != '\n';)
        {
            if (sb.Length > 1024) throw new InvalidDataException("a pickle GLOBAL name longer than 1024 characters");
            sb.Append((char)b);
        }
        return sb.ToString();
    }

    private object ReadLong(int n)
    {
        var value = new BigInteger(ReadBytes(n), isUnsigned: false, isBigEndian: false);
        return value >= long.MinValue && value <= long.MaxValue ? (object)(long)value : value;
    }
}
