package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Println("hello from go, uid", os.Getuid())
}
