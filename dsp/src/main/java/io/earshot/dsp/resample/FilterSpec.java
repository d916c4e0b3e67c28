package io.earshot.dsp.resample;

/**
 * Anti-aliasing (or anti-imaging) low-pass of a {@link Resampler}, with edges given as fractions of the
 * Nyquist frequency of the lower of the two rates.
 *
 * @param passbandEdge          end of the pass band, e.g. 0.90: 7.2 kHz when converting to 16 kHz
 * @param stopbandEdge          start of the stop band; 1.0 puts it exactly at the lower Nyquist, so
 *                              nothing that would fold back (alias) is let through
 * @param stopbandAttenuationDb minimum attenuation in the stop band
 */
public record FilterSpec(double passbandEdge, double stopbandEdge, double stopbandAttenuationDb) {

    /**
     * Pass band to 90 % of the lower Nyquist, at least 90 dB down from the Nyquist on: aliasing stays
     * below 16-bit quantisation noise; the filter is about 316 taps at 44.1 kHz.
     */
    public static final FilterSpec DEFAULT = new FilterSpec(0.90, 1.0, 90.0);

    public FilterSpec {
        if (!(passbandEdge > 0 && passbandEdge < stopbandEdge && stopbandEdge <= 1.0)) {
            throw new IllegalArgumentException("need 0 < passbandEdge < stopbandEdge <= 1, got " + passbandEdge + ", " + stopbandEdge);
        }
        if (!(stopbandAttenuationDb >= 20 && stopbandAttenuationDb <= 200)) {
            throw new IllegalArgumentException("stop band attenuation must be 20..200 dB, got " + stopbandAttenuationDb);
        }
    }
}
