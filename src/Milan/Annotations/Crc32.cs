namespace Milan.Annotations;

/// <summary>CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), the checksum zip archives store per entry.</summary>
internal sealed class Crc32
{
    private static readonly uint[] Table = BuildTable();
    private uint _state = 0xFFFFFFFFu;

    public void Append(ReadOnlySpan<byte> data)
    {
        uint crc = _state;
        foreach (byte b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        _state = crc;
    }

    public uint Value => _state ^ 0xFFFFFFFFu;

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = new Crc32();
        crc.Append(data);
        return crc.Value;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int bit = 0; bit < 8; bit++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        return table;
    }
}
