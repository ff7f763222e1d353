package regnb

// ChooseInOrder is chooseInOrder, for the tests.
var ChooseInOrder = chooseInOrder
