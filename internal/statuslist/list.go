package statuslist

// List is a status list bit array (§4.1): Bits per entry (1, 2, 4 or 8), entry i at bit offset
// i*Bits, packed "from the least significant bit ("0") to the most significant bit ("7")" of
// each byte, bytes in their natural order. The zero value is not usable; call New or Decode.
type List struct {
	bits  int
	size  int
	bytes []byte
}

// MaxSize bounds the number of entries New accepts (2^28: 64 MiB at 2 bits), so a wrong
// configuration cannot allocate without limit.
const MaxSize = 1 << 28

// New returns a list of size entries, all Valid.
//
// §4.1 step 1: "The Status Issuer MUST define a number of bits (bits) of either 1,2,4 or 8".
// §4.1 step 2: "The Status Issuer creates a byte array of size = number of Referenced Tokens *
// bits / 8 or greater."
func New(bits int, size int) (*List, error) {
	if !validBits(bits) {
		return nil, bitsError(bits)
	}
	if size <= 0 || size > MaxSize {
		return nil, newError(ReasonSize, nil, "size must be between 1 and %d (got %d)", MaxSize, size)
	}
	return &List{bits: bits, size: size, bytes: make([]byte, (size*bits+7)/8)}, nil
}

// fromBytes wraps a decompressed byte array; every bit is an entry (§8.3 step 6 reads the
// index straight from the array).
func fromBytes(bits int, b []byte) *List {
	return &List{bits: bits, size: len(b) * 8 / bits, bytes: b}
}

func validBits(bits int) bool {
	return bits == 1 || bits == 2 || bits == 4 || bits == 8
}

// Len is the number of entries.
func (l *List) Len() int { return l.size }

// Bits is the number of bits per entry.
func (l *List) Bits() int { return l.bits }

// Set stores s at idx. The status must fit in Bits: §7 "The issuer of the Status List MUST
// choose an adequate bits value (bit size) to be able to describe the required Status Types".
func (l *List) Set(idx int, s Status) error {
	if idx < 0 || idx >= l.size {
		return indexError(idx, l.size)
	}
	if int(s) >= 1<<l.bits {
		return statusError(s, l.bits)
	}
	byteIdx, shift := l.locate(idx)
	mask := byte((1<<l.bits)-1) << shift
	l.bytes[byteIdx] = l.bytes[byteIdx]&^mask | byte(s)<<shift
	return nil
}

// Get returns the status at idx. §8.3 step 6: "If the provided index is out of bounds of the
// Status List, no statement about the status of the Referenced Token can be made and the
// Referenced Token MUST be rejected." — hence an error, never a default.
func (l *List) Get(idx int) (Status, error) {
	if idx < 0 || idx >= l.size {
		return 0, indexError(idx, l.size)
	}
	byteIdx, shift := l.locate(idx)
	return Status(l.bytes[byteIdx] >> shift & byte((1<<l.bits)-1)), nil
}

// locate gives the byte holding entry idx and the shift of its lowest bit (§4.1 step 3).
func (l *List) locate(idx int) (byteIdx int, shift uint) {
	perByte := 8 / l.bits
	return idx / perByte, uint(idx % perByte * l.bits)
}

// Bytes returns a copy of the uncompressed byte array.
func (l *List) Bytes() []byte {
	return append([]byte(nil), l.bytes...)
}
