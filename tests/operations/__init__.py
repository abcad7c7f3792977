"""Operations: deployment, crash safety, readers during writes, hostile input, scale-out, exports."""
